"""The yearly counts: held sessions, modules, participants, enrolments, completions and
participant-hours per year and breakdown, beside the plan (issue 5, DESIGN.md)."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django import db as _django_db
from django.core.paginator import Page, Paginator
from django.db import models as _db
from django.db.models import (
    Q,
    QuerySet,
)
from django.utils.translation import gettext_lazy as _

from partnerships.access import (
    ADMIN,
    MANAGER,
    STAFF,
    office_id_of,
    role_of,
    sees_all_offices,
)
from partnerships.models import PartnerOrganisation, PlanTarget
from partnerships.queries import lead_partners_of_visible_agreements

from .. import models as _mm
from ..models import (
    REPORT_ENROLMENT_STATUSES,  # noqa: F401 (defined beside its rollup; imported from here)
    Module,
)

REPORT_MAX_YEARS = 30
REPORT_MIN_YEAR = 2000
REPORT_MAX_YEAR = 2100
REPORT_COLUMNS = (
    "sessions",
    "modules",
    "participants",
    "enrolments",
    "completions",
    "participant_hours",
    "planned_sessions",
    "planned_modules",
    "planned_participants",
    "realised_pct",
)


@dataclass(frozen=True)
class Breakdown:
    """How rows are split: `path` from a Module to the key; `label_path` or `choices` name it."""

    name: str
    verbose_name: str
    path: str
    label_path: str | None = None
    choices: type | None = None
    # Planning (PlanTarget) is per agreement, so it only splits by what an agreement has.
    plan_by_breakdown: bool = False
    # A module counts under several keys (themes): rows overlap, so there is no total row.
    overlapping: bool = False
    # The key as the attendance rollup carries it, where it does (no join to the module).
    rollup_path: str | None = None


BREAKDOWNS: dict[str, Breakdown] = {
    b.name: b
    for b in (
        Breakdown(
            "partner_kind",
            _("partner kind"),
            "partnership__lead_partner__kind",
            choices=PartnerOrganisation.Kind,
            plan_by_breakdown=True,
        ),
        Breakdown(
            "office",
            _("office"),
            "partnership__office_id",
            label_path="partnership__office__name",
            plan_by_breakdown=True,
        ),
        Breakdown(
            "partner",
            _("partner"),
            "partnership__lead_partner_id",
            label_path="partnership__lead_partner__name",
            plan_by_breakdown=True,
            rollup_path="lead_partner_id",
        ),
        Breakdown("theme", _("theme"), "themes__id", label_path="themes__name", overlapping=True),
        Breakdown("offer_type", _("offer type"), "offer_type", choices=Module.OfferType),
        Breakdown("language", _("language"), "language", choices=_mm.Language),
    )
}
DEFAULT_BREAKDOWN = "partner_kind"


@dataclass(frozen=True)
class ReportFilters:
    """What the report counts. Partner and partner kind refer to an agreement's lead partner."""

    year_from: int
    year_to: int
    office_id: int | None = None
    partner_kind: str = ""
    partner_id: int | None = None
    theme_id: int | None = None
    offer_type: str = ""
    language: str = ""

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    @property
    def filters_modules_only(self) -> bool:
        """Filters that planning (per agreement) cannot follow: theme, offer type, language."""
        return bool(self.theme_id or self.offer_type or self.language)


def default_report_years(today: datetime.date | None = None) -> tuple[int, int]:
    """The last five years up to this year."""
    year = (today or datetime.date.today()).year
    return year - 4, year


@dataclass
class ReportRow:
    year: int
    key: object
    label: str
    is_total: bool = False
    sessions: int = 0
    modules: int = 0
    participants: int = 0
    enrolments: int = 0
    completions: int = 0
    participant_minutes: int = 0
    planned_sessions: int | None = None
    planned_modules: int | None = None
    planned_participants: int | None = None

    @property
    def participant_hours(self) -> Decimal:
        """Minutes / 60, half up to hundredths, in integers: (m * 100 / 60 + 1/2) rounded
        down is (10 m + 3) // 6 hundredths (3x faster than Decimal division and quantize,
        ~100,000 cells in an export; tests/modules/test_reports_counts.py)."""
        return Decimal((self.participant_minutes * 10 + 3) // 6).scaleb(-2)

    @property
    def realised_pct(self) -> Decimal | None:
        """Held sessions against planned sessions, in %; None when nothing was planned."""
        if not self.planned_sessions:
            return None
        return (Decimal(self.sessions) * 100 / self.planned_sessions).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def values(self) -> dict:
        return {column: getattr(self, column) for column in REPORT_COLUMNS}


# Breakdown values whose rows the report page shows at once; the rest is a click away (and
# all of it in the exports).
REPORT_ROWS_PER_PAGE = 15
# The chart stacks at most this many breakdown values; the others are summed as one.
CHART_MAX_DATASETS = 12


@dataclass
class ReportResult:
    breakdown: Breakdown
    filters: ReportFilters
    # Every row, or with `page` only the rows of the breakdown values on that page.
    rows: list[ReportRow] = field(default_factory=list)
    # Totals per year (None for overlapping breakdowns, where rows do not add up).
    totals: dict[int, ReportRow] | None = None
    plan_shown: bool = True
    # Every breakdown value in the table's order (by label), also those not on the page.
    keys: list = field(default_factory=list)
    labels: dict = field(default_factory=dict)
    # Held sessions per (year, key) for every key (the chart's numbers); none: no row.
    held: dict[tuple, int] = field(default_factory=dict)
    # The page of `keys` whose rows were counted (None: all of them).
    page: Page | None = None

    @property
    def has_total(self) -> bool:
        return self.totals is not None

    @property
    def plan_by_breakdown(self) -> bool:
        return self.plan_shown and self.breakdown.plan_by_breakdown

    def table(self) -> list[ReportRow]:
        """The rows as shown: per year its breakdown rows, then the year's total row."""
        by_year: dict[int, list[ReportRow]] = {year: [] for year in self.filters.years}
        for row in self.rows:
            by_year[row.year].append(row)
        table = []
        for year, rows in by_year.items():
            table.extend(rows)
            if self.totals is not None:
                table.append(self.totals[year])
        return table

    def chart_data(self) -> dict:
        """Held sessions per year, one dataset per breakdown value (for Chart.js), of every
        value, not only the page's. More than CHART_MAX_DATASETS values (1,300 partners): the
        ones with the most held sessions, and the others summed as one dataset ("Other")."""
        years = list(self.filters.years)
        column = {year: i for i, year in enumerate(years)}
        data: dict[object, list[int]] = {}
        for (year, key), sessions in self.held.items():
            data.setdefault(key, [0] * len(years))[column[year]] = sessions
        keys = [key for key in self.keys if key in data]
        rest: list = []
        if len(keys) > CHART_MAX_DATASETS:
            order = {key: i for i, key in enumerate(keys)}
            by_size = sorted(keys, key=lambda k: (-sum(data[k]), order[k]))
            kept = set(by_size[: CHART_MAX_DATASETS - 1])
            rest = [key for key in keys if key not in kept]
            keys = [key for key in keys if key in kept]
        datasets = [{"label": self.labels[key], "data": data[key]} for key in keys]
        if rest:
            label = str(_("Other (%(n)d)") % {"n": len(rest)})
            other = [sum(data[key][i] for key in rest) for i in range(len(years))]
            datasets.append({"label": label, "data": other})
        return {
            "labels": [str(year) for year in years],
            "datasets": datasets,
            "stacked": not self.breakdown.overlapping,
        }


def _report_module_q(prefix: str, filters: ReportFilters, office_id: int | None) -> Q:
    """The filters as a Q on the module reached through `prefix` (e.g. "session__module__")."""
    q = Q()
    if office_id is not None:
        q &= Q(**{f"{prefix}partnership__office_id": office_id})
    if filters.partner_kind:
        q &= Q(**{f"{prefix}partnership__lead_partner__kind": filters.partner_kind})
    if filters.partner_id is not None:
        q &= Q(**{f"{prefix}partnership__lead_partner_id": filters.partner_id})
    if filters.theme_id is not None:
        # A subquery, not a join: a join would multiply rows by the module's themes.
        with_theme = Module.themes.through.objects.filter(theme_id=filters.theme_id)
        q &= Q(**{f"{prefix}id__in": with_theme.values("module_id")})
    if filters.offer_type:
        q &= Q(**{f"{prefix}offer_type": filters.offer_type})
    if filters.language:
        q &= Q(**{f"{prefix}language": filters.language})
    return q


def _plan_filters(filters: ReportFilters, office_id: int | None) -> dict:
    """The report filters that apply to an agreement's plan targets."""
    lookups = {}
    if office_id is not None:
        lookups["partnership__office_id"] = office_id
    if filters.partner_kind:
        lookups["partnership__lead_partner__kind"] = filters.partner_kind
    if filters.partner_id is not None:
        lookups["partnership__lead_partner_id"] = filters.partner_id
    return lookups


def _group(
    queryset: QuerySet,
    year,
    prefix: str,
    breakdown: Breakdown | None,
    *extra: str,
    label: bool = True,
) -> QuerySet:
    """values(year[, key, label][, *extra]) so that the following annotate() groups by them.
    `label=False`: not the label, for a statement whose rows already have theirs elsewhere
    (grouping by a text sorts it by collation: 130k rows, ~40 ms, docs/performance.md)."""
    names, fields = ((year, *extra), {}) if isinstance(year, str) else (extra, {"year": year})
    if breakdown is not None:
        fields["key"] = _db.F(prefix + breakdown.path)
        if breakdown.label_path and label:
            fields["label"] = _db.F(prefix + breakdown.label_path)
    return queryset.order_by().values(*names, **fields)


def _regrouped(
    inner: QuerySet,
    breakdown: Breakdown | None,
    *,
    joins: dict[str, QuerySet] | None = None,
    **columns: str,
) -> list[dict]:
    """Aggregate the grouped rows of `inner` (alias t) again per year and breakdown key.

    Each of `joins` (alias: queryset, one row per module) is LEFT JOINed on its module_id =
    t.module_id. `columns` are SQL aggregates over t.* and the joined aliases' columns.
    Grouping first and then counting rows is several times faster on PostgreSQL than one
    COUNT(DISTINCT) over a million joined rows (bench/README.md); Django has no API for a
    subquery in FROM, so this wraps the SQL that Django wrote.
    """
    connection = _django_db.connections[inner.db]
    q = connection.ops.quote_name
    aliases = "|".join(("t", *(joins or {})))

    def quoted(expression: str) -> str:
        return re.sub(rf"\b({aliases})\.(\w+)", lambda m: f"{m[1]}.{q(m[2])}", expression)

    sql, params = inner.query.sql_with_params()
    names, group = ["year"], [quoted("t.year")]
    select = list(group)
    if breakdown is not None:
        names.append("key")
        group.append(quoted("t.key"))
        select.append(quoted("t.key"))
        if breakdown.label_path:
            names.append("label")
            select.append(quoted("MAX(t.label)"))
    for name, expression in columns.items():
        names.append(name)
        select.append(quoted(expression))
    source = f"({sql}) t"
    for alias, join in (joins or {}).items():
        join_sql, join_params = join.query.sql_with_params()
        source += f" LEFT JOIN ({join_sql}) {alias} ON {quoted(f'{alias}.module_id = t.module_id')}"
        params = (*params, *join_params)
    # Only SQL Django wrote and fixed names go into the text; every value is a parameter.
    statement = f"SELECT {', '.join(select)} FROM {source} GROUP BY {', '.join(group)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["year"] = int(row["year"])  # PostgreSQL's EXTRACT gives a numeric
    return rows


def _report_office(user, filters: ReportFilters) -> tuple[bool, int | None]:
    """(may see counts, office to restrict to). Staff and office managers: their own office."""
    role = role_of(user)
    if role == ADMIN or sees_all_offices(user):
        return True, filters.office_id
    if role in (STAFF, MANAGER) and office_id_of(user) is not None:
        return True, office_id_of(user)
    return False, None


def yearly_counts(
    *,
    user,
    filters: ReportFilters,
    breakdown: str = DEFAULT_BREAKDOWN,
    with_rows: bool = True,
    page: int | str | None = None,
    per_page: int = REPORT_ROWS_PER_PAGE,
) -> ReportResult:
    """The yearly report: counts per year and breakdown value, plus a total row per year.

    Aggregates in the database: at most ten queries, whatever the number of years or rows.
    `page` (the report page): every breakdown value is listed (`keys`, with its held
    sessions for the chart), but the participants, the one count that cannot be summed from
    the rollup's per-module rows, are counted only for the values on that page of
    `per_page` (1,300 partners over ten years: 15 of them). Without: every row (exports).
    """
    bd = BREAKDOWNS[breakdown]
    years = filters.years
    if not 1 <= len(years) <= REPORT_MAX_YEARS:
        raise ValueError("year range out of bounds")
    allowed, office_id = _report_office(user, filters)
    plan_shown = not filters.filters_modules_only
    if not allowed:
        totals = {year: ReportRow(year, None, str(_("Total")), is_total=True) for year in years}
        empty = ReportResult(bd, filters, [], None if bd.overlapping else totals, plan_shown)
        if page is not None:
            empty.page = Paginator([], per_page).get_page(page)
        return empty

    # The rollup (modules/services/rollup.py): held sessions per (module, year), present
    # attendance per (enrolment, year) and enrolments per module, kept exact by every write;
    # read only the years asked.
    module_q = _report_module_q("module__", filters, office_id)
    sessions = _mm.ReportSessionYear.objects.filter(module_q).filter(
        year__range=(years.start, years.stop - 1)
    )
    present = _mm.ReportAttendanceYear.objects.filter(module_q).filter(
        year__range=(years.start, years.stop - 1)
    )
    # Per module: the enrolments that held a place and the completions (rollup: one row
    # per module instead of a scan of every enrolment).
    enrolments_per_module = _mm.ReportModuleEnrolments.objects.values(
        "module_id", "enrolments", "completions"
    )
    # Plans belong to an agreement, not to its modules: only the agreement-level filters
    # apply (office, lead partner, partner kind). With a module-level filter (theme, offer
    # type, language) no plan is shown at all (`plan_shown`), so none is read.
    plans = PlanTarget.objects.filter(
        year__range=(years.start, years.stop - 1), **_plan_filters(filters, office_id)
    )

    def plan_counts(breakdown: Breakdown | None, keys: set | None = None) -> QuerySet:
        """The plan per year and key; `keys`: only those keys' rows."""
        of_keys = plans if keys is None else plans.filter(_key_q(breakdown, keys))
        return _group(of_keys, "year", "", breakdown).annotate(
            planned_sessions=_db.Sum("planned_sessions"),
            planned_modules=_db.Sum("planned_modules"),
            planned_participants=_db.Sum("planned_participants"),
        )

    def run(
        breakdown: Breakdown | None, *, plans_only: bool = False, with_plans: bool = True
    ) -> dict[tuple, dict]:
        """Every count for `breakdown` (None: per year only), merged per (year, key).
        `plans_only`: only the plan (the totals when the rows already add up);
        `with_plans=False`: no plan (the report page reads the plan of its page's keys)."""
        merged: dict[tuple, dict] = {}

        def add(rows: Iterable[dict]) -> None:
            for row in rows:
                merged.setdefault((row.pop("year"), row.pop("key", None)), {}).update(row)

        # Sessions per module and year first, then per year and key: modules are the rows, and
        # each module brings its enrolments once per year in which it held a session, and its
        # completions in the year of its last held session.
        # The rollup has one row per (module, year): no grouping needed before the regrouping
        # (a theme's join gives one row per module, year and theme).
        per_module = _group(sessions, "year", "module__", breakdown, "module_id", "last_year")
        if not plans_only:
            add(
                _regrouped(
                    per_module.annotate(n=_db.F("sessions")),
                    breakdown,
                    joins={"j": enrolments_per_module},
                    sessions="SUM(t.n)",
                    modules="COUNT(*)",
                    enrolments="COALESCE(SUM(j.enrolments), 0)",
                    # In the year of the module's last held session (flagged by the rollup).
                    completions="COALESCE(SUM(CASE WHEN t.last_year THEN j.completions END), 0)",
                )
            )
        if with_plans and plan_shown and (breakdown is None or breakdown.plan_by_breakdown):
            add(plan_counts(breakdown))
        return merged

    def make_row(year: int, key, counts: dict, is_total: bool) -> ReportRow:
        get = counts.get
        row = ReportRow(
            year,
            key,
            get("label") or "",
            is_total,
            int(get("sessions") or 0),
            int(get("modules") or 0),
            int(get("participants") or 0),
            int(get("enrolments") or 0),
            int(get("completions") or 0),
            int(get("participant_minutes") or 0),
        )
        if plan_shown and (is_total or bd.plan_by_breakdown):
            row.planned_sessions = int(get("planned_sessions") or 0)
            row.planned_modules = int(get("planned_modules") or 0)
            row.planned_participants = int(get("planned_participants") or 0)
        return row

    want_totals = not bd.overlapping or not with_rows
    # The report page (`page`): the plan of its page's keys only, read below.
    plans_per_key = with_rows and plan_shown and bd.plan_by_breakdown
    paged_plans = plans_per_key and page is not None
    found_rows = run(bd, with_plans=not paged_plans) if with_rows else {}
    # Each module has exactly one key in a breakdown that does not overlap: its sessions,
    # modules, enrolments and completions add up to the year's total, so only the plan
    # (and below, the distinct participants) need a statement of their own.
    adds_up = with_rows and not bd.overlapping
    found_totals = run(None, plans_only=adds_up) if want_totals else {}
    if adds_up:
        summed = ("sessions", "modules", "enrolments", "completions")
        per_year: dict[int, list[int]] = {}
        for (year, _key), counts in found_rows.items():
            if "sessions" in counts:  # not a row with only a plan
                sums = per_year.setdefault(year, [0, 0, 0, 0])
                for i, name in enumerate(summed):
                    sums[i] += int(counts[name] or 0)
        for year, sums in per_year.items():
            found_totals.setdefault((year, None), {}).update(zip(summed, sums, strict=True))
    # Every breakdown value in the table's order, and on the report page only the ones on
    # the asked page get their rows counted in full.
    labels: dict = {}
    for (_year, key), counts in found_rows.items():
        if key in labels:
            continue
        if bd.name == "theme" and filters.theme_id is not None and key != filters.theme_id:
            continue  # the other themes of modules that have the filtered theme
        labels[key] = _report_label(bd, key, counts.get("label") or "")
    if paged_plans:
        # A key with a plan but no held session is a row too: its name (1,300 rows), not
        # its plan per year (8,000 rows at Flanders scale).
        fields = (bd.path, bd.label_path) if bd.label_path else (bd.path,)
        for key, *label in plans.order_by().values_list(*fields).distinct():
            if key not in labels:
                labels[key] = _report_label(bd, key, label[0] if label else "")
    keys = sorted(labels, key=lambda k: (k is None, labels[k].lower(), str(k)))
    keys_page = Paginator(keys, per_page).get_page(page) if page is not None else None
    shown = set(keys_page.object_list) if keys_page is not None else set(keys)
    if paged_plans and shown:
        for counts in plan_counts(bd, shown):
            found_rows.setdefault((counts.pop("year"), counts.pop("key")), {}).update(counts)

    # Participants and hours come from the attendance rollup (one row per enrolment and
    # year): two plain COUNT(DISTINCT) statements over the years asked, one per key and one
    # per year, measured faster than one statement reading a shared CTE (docs/performance.md).
    attendance_columns = {
        "participants": _db.Count("participant_id", distinct=True),
        "participant_minutes": _db.Sum("minutes"),
    }
    if with_rows and shown:
        present_rows = present
        if len(shown) < len(keys) and bd.rollup_path:
            present_rows = present.filter(_key_q(bd, shown, bd.rollup_path))
        elif len(shown) < len(keys):
            # Only the modules under the page's keys; a module under several keys (themes)
            # also brings its other keys' (partial) counts, which no row below shows.
            present_rows = present.filter(module_id__in=_modules_under(bd, shown))
        # Every (year, key) with attendance has held sessions, so its label came with them.
        if bd.rollup_path:
            # From the rollup's own column: an index in (year, key, participant) order.
            grouped = present_rows.order_by().values("year", key=_db.F(bd.rollup_path))
        else:
            grouped = _group(present_rows, "year", "module__", bd, label=False)
        for counts in grouped.annotate(**attendance_columns):
            found_rows.setdefault((counts.pop("year"), counts.pop("key")), {}).update(counts)
    if want_totals:
        for counts in present.order_by().values("year").annotate(**attendance_columns):
            found_totals.setdefault((counts.pop("year"), None), {}).update(counts)

    rows, held = [], {}
    for (year, key), counts in found_rows.items():
        if key not in labels:
            continue
        if counts.get("sessions"):
            held[(year, key)] = int(counts["sessions"])
        if key in shown:
            row = make_row(year, key, counts, is_total=False)
            row.label = labels[key]
            rows.append(row)
    rows.sort(key=lambda r: (r.year, r.key is None, r.label.lower(), str(r.key)))

    totals = None
    if want_totals:
        totals = {
            year: make_row(year, None, found_totals.get((year, None), {}), is_total=True)
            for year in years
        }
        for row in totals.values():
            row.label = str(_("Total"))
    return ReportResult(
        bd, filters, rows, totals, plan_shown, keys=keys, labels=labels, held=held, page=keys_page
    )


def _key_q(breakdown: Breakdown, keys: set, path: str | None = None) -> Q:
    """The rows (of a Module or a PlanTarget: both reach `breakdown.path`; or `path`) under
    `keys`."""
    path = path or breakdown.path
    q = Q(**{f"{path}__in": [key for key in keys if key is not None]})
    if None in keys:
        q |= Q(**{f"{path}__isnull": True})
    return q


def _modules_under(breakdown: Breakdown, keys: set) -> QuerySet:
    """The ids of the modules whose breakdown value is one of `keys` (None: has none)."""
    return Module.objects.filter(_key_q(breakdown, keys)).values("pk")


def _report_label(breakdown: Breakdown, key, label: str) -> str:
    if key is None:
        return str(_("(none)"))
    if breakdown.choices is not None:
        try:
            return str(breakdown.choices(key).label)
        except ValueError:
            return str(key)
    return label or str(key)


def yearly_totals(*, user, years: range) -> dict[int, ReportRow]:
    """Totals per year with no filters (the manager's home page): three queries."""
    filters = ReportFilters(year_from=years.start, year_to=years.stop - 1)
    return yearly_counts(user=user, filters=filters, with_rows=False).totals


def report_partners_for(user) -> QuerySet[PartnerOrganisation]:
    """Partners the report can filter on: lead partners of agreements the user may see."""
    return lead_partners_of_visible_agreements(user)
