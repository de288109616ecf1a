"""Reading the change history that django-simple-history keeps (who, when, what changed),
for the history include on the detail pages (`templates/includes/history.html`).

Bounded: the latest `limit` changes (a page asks for more with ``?history=all``, still
capped); a fixed number of queries per source, whatever the number of changes. Field names
are the verbose names, values are shown as the pages show them (choice labels, names of
related records, local dates); personal fields say only that they changed, and the fields in
`NEVER_SHOWN` (the national register number) never appear.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

HISTORY_LIMIT = 10
HISTORY_ALL_LIMIT = 200
NEVER_SHOWN = {"national_register_number"}
# Bookkeeping that changes with every save: not a change a person made.
NOT_A_CHANGE = {"id", "created_at", "updated_at", "status_changed_at", "recorded_at"}
HIDDEN_VALUE = _("(changed; not shown)")
MAX_TEXT = 120


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    by: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)
    # A change whose earlier version was never recorded (e.g. rows imported in bulk).
    no_earlier_version: bool = False


@dataclass
class History:
    entries: list[HistoryEntry]
    has_more: bool
    showing_all: bool


@dataclass(frozen=True)
class Source:
    """One record kind's history rows (e.g. `Module.history.filter(id=pk)`), a label for the
    record a row is about, and the fields whose values are personal (shown as changed only).

    `shown`, when given, is an allow-list: only these fields' values are shown, every other
    field (also one added to the model later) only as changed. Use it for records about a
    person; `personal` (a deny-list) for records that hold one or two personal fields."""

    rows: QuerySet
    subject: Callable[[object], str]
    personal: frozenset[str] = frozenset()
    shown: frozenset[str] | None = None

    def hides(self, name: str) -> bool:
        return name in self.personal or (self.shown is not None and name not in self.shown)


ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _person(user) -> str:
    if user is None:
        return str(_("the system"))
    return user.get_full_name() or user.get_username()


def _tracked(history_model) -> list:
    return [
        f
        for f in history_model.tracked_fields
        if f.name not in NOT_A_CHANGE and f.name not in NEVER_SHOWN
    ]


def _plain(model_field, value) -> str:
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.time):
        return time_format(value, "H:i")
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def read_history(sources: list[Source], *, show_all: bool = False) -> History:
    """The latest changes of `sources`, newest first, each with what changed."""
    limit = HISTORY_ALL_LIMIT if show_all else HISTORY_LIMIT
    rows = []
    for source in sources:
        model = source.rows.model
        previous = model.objects.filter(
            id=OuterRef("id"), history_date__lt=OuterRef("history_date")
        ).order_by("-history_date", "-history_id")
        fetched = (
            source.rows.select_related("history_user")
            .annotate(previous_id=Subquery(previous.values("history_id")[:1]))
            .order_by("-history_date", "-history_id")[: limit + 1]
        )
        rows.extend((row, source) for row in fetched)
    rows.sort(key=lambda pair: (pair[0].history_date, pair[0].history_id), reverse=True)
    has_more = len(rows) > limit
    rows = rows[:limit]

    # The previous versions, one query per record kind.
    previous_rows: dict[tuple, object] = {}
    by_model: dict = {}
    for row, source in rows:
        if row.previous_id:
            by_model.setdefault(source.rows.model, set()).add(row.previous_id)
    for model, ids in by_model.items():
        for old in model.objects.filter(history_id__in=ids):
            previous_rows[(model, old.history_id)] = old

    entries, related = [], {}
    for row, source in rows:
        model = source.rows.model
        entry = HistoryEntry(
            at=row.history_date,
            by=_person(row.history_user),
            action=str(ACTIONS.get(row.history_type, row.history_type)),
            subject=source.subject(row),
        )
        old = previous_rows.get((model, row.previous_id))
        entry.no_earlier_version = row.history_type == "~" and old is None
        if row.history_type == "~" and old is not None:
            for model_field in _tracked(model):
                before = getattr(old, model_field.attname)
                after = getattr(row, model_field.attname)
                if before == after:
                    continue
                entry.changes.append((model_field, before, after, source.hides(model_field.name)))
                if model_field.is_relation and model_field.related_model is not None:
                    ids = related.setdefault(model_field.related_model, set())
                    ids.update(v for v in (before, after) if v is not None)
        entries.append(entry)

    # Names of related records (a partner, a user, an agreement), one query per kind.
    names = {}
    for related_model, ids in related.items():
        for obj in related_model._base_manager.filter(pk__in=ids):
            names[(related_model, obj.pk)] = (
                _person(obj) if hasattr(obj, "get_full_name") else str(obj)
            )

    for entry in entries:
        shown = []
        for model_field, before, after, hidden in entry.changes:
            label = str(model_field.verbose_name)
            label = label[:1].upper() + label[1:]
            if hidden:
                shown.append(Change(label, "", str(HIDDEN_VALUE)))
            elif model_field.is_relation and model_field.related_model is not None:
                model = model_field.related_model
                shown.append(
                    Change(
                        label,
                        names.get((model, before), "–") if before is not None else "–",
                        names.get((model, after), "–") if after is not None else "–",
                    )
                )
            else:
                shown.append(Change(label, _plain(model_field, before), _plain(model_field, after)))
        entry.changes = shown
    return History(entries=entries, has_more=has_more, showing_all=show_all)
