"""Planning (staff): modules, session series skipping holidays, attendance, completion
and cancellation."""

import datetime
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import Attendance, Enrolment, Module, Session
from ..queries import (
    attendance_enrolments,
    taken_places,
)
from .enrolment import fill_free_places
from .errors import DomainError

# 11 July (Feest van de Vlaamse Gemeenschap) is not in holidays.Belgium's national list,
# but the agencies are Flemish and closed that day, so the generator skips it as well.
FLEMISH_COMMUNITY_DAY = (7, 11)


@dataclass(frozen=True, kw_only=True)
class SessionRule:
    """A recurring series: one weekday (0 = Monday), every `interval_weeks` weeks, from
    `start_date` until `count` sessions are planned or up to `end_date` (one of the two)."""

    weekday: int
    start_time: datetime.time
    end_time: datetime.time
    start_date: datetime.date
    count: int | None = None
    end_date: datetime.date | None = None
    interval_weeks: int = 1
    location: str = ""
    topic: str = ""


MAX_SERIES_SESSIONS = 60
MAX_SERIES_DAYS = 2 * 366
MIN_SERIES_YEAR, MAX_SERIES_YEAR = 2000, 2100


def public_holidays(years) -> dict[datetime.date, str]:
    """Belgian public holidays plus the Flemish Community's day, named in the active language."""
    language = "nl" if (translation.get_language() or "nl").startswith("nl") else "en_US"
    found = dict(holidays.Belgium(years=years, language=language).items())
    name = _("Day of the Flemish Community")
    for year in years:
        found.setdefault(datetime.date(year, *FLEMISH_COMMUNITY_DAY), str(name))
    return found


def plan_session_dates(
    rule: SessionRule,
) -> tuple[list[datetime.date], list[tuple[datetime.date, str]]]:
    """The dates a rule gives, and the (date, holiday name) pairs it skipped.

    With `count`, skipped holidays do not count: the series gets `count` real sessions.
    Pure (no database), so the preview and the save use the very same computation.
    """
    if (rule.count is None) == (rule.end_date is None):
        raise DomainError(_("Give either a number of sessions or an end date."))
    if rule.count is not None and not 1 <= rule.count <= MAX_SERIES_SESSIONS:
        raise DomainError(
            _("A series has between 1 and %(max)d sessions.") % {"max": MAX_SERIES_SESSIONS}
        )
    if rule.end_date is not None and rule.end_date < rule.start_date:
        raise DomainError(_("The end date cannot be before the start date."))
    if rule.interval_weeks not in (1, 2):
        raise DomainError(_("A series repeats every week or every two weeks."))
    if not MIN_SERIES_YEAR <= rule.start_date.year <= MAX_SERIES_YEAR:
        raise DomainError(
            _("A series starts between %(min)d and %(max)d.")
            % {"min": MIN_SERIES_YEAR, "max": MAX_SERIES_YEAR}
        )
    if rule.end_date is not None and (rule.end_date - rule.start_date).days > MAX_SERIES_DAYS:
        raise DomainError(_("A series spans at most two years."))
    offset = (rule.weekday - rule.start_date.weekday()) % 7
    first = rule.start_date + datetime.timedelta(days=offset)
    step = datetime.timedelta(weeks=rule.interval_weeks)
    # With a count, the holidays skipped on the way can never be more than a handful.
    last = rule.end_date or first + step * (rule.count + 30)
    closed = public_holidays(range(first.year, last.year + 1))
    dates: list[datetime.date] = []
    skipped: list[tuple[datetime.date, str]] = []
    day = first
    while day <= last and (rule.count is None or len(dates) < rule.count):
        if day in closed:
            skipped.append((day, closed[day]))
        else:
            dates.append(day)
        day += step
    if len(dates) > MAX_SERIES_SESSIONS:
        raise DomainError(
            _("A series has between 1 and %(max)d sessions.") % {"max": MAX_SERIES_SESSIONS}
        )
    return dates, skipped


def _lock_module(module: Module) -> Module:
    # Re-read the row under a lock: concurrent planning actions on one module serialise here.
    return Module.objects.select_for_update().get(pk=module.pk)


def _refuse_if_finished(module: Module) -> None:
    if module.status in (Module.Status.CANCELLED, Module.Status.COMPLETED):
        raise DomainError(_("This module is cancelled or completed; it can no longer be planned."))


def save_module(*, module: Module, themes, objectives, by) -> Module:
    """Create or update a module (the form validated the fields) with its themes/objectives."""
    with transaction.atomic():
        if module.pk:
            current = _lock_module(module)
            _refuse_if_finished(current)
            taken = taken_places(current.pk)
            if module.capacity < taken:
                raise DomainError(
                    ngettext(
                        "Capacity cannot be below the %(n)d participant already enrolled.",
                        "Capacity cannot be below the %(n)d participants already enrolled.",
                        taken,
                    )
                    % {"n": taken}
                )
        module.save()
        module.themes.set(themes)
        module.objectives.set(objectives)
        # More places (or enrolment reopened): the waiting list moves up at once, in order.
        fill_free_places(module=module)
    return module


def cancel_module(*, module: Module, reason: str, by) -> Module:
    """Cancel a module: closed for enrolment, planned sessions cancelled, and the caseworkers
    of enrolled and waitlisted clients told by e-mail (one mail each, after the commit)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the cancellation."))
    with transaction.atomic():
        module = _lock_module(module)
        _refuse_if_finished(module)
        module.status = Module.Status.CANCELLED
        module.enrolment_open = False
        module.cancel_reason = reason
        module.save(update_fields=["status", "enrolment_open", "cancel_reason", "updated_at"])
        planned = list(module.sessions.filter(status=Session.Status.PLANNED))
        for session in planned:
            session.status, session.cancel_reason = Session.Status.CANCELLED, reason[:300]
        # The *_with_history helpers keep the change history that plain bulk writes skip.
        bulk_update_with_history(planned, Session, ["status", "cancel_reason"], default_user=by)
        affected = (
            Enrolment.objects.filter(
                module=module,
                status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED],
                participant__caseworker__isnull=False,
            )
            .exclude(participant__caseworker__email="")
            .select_related("participant", "participant__caseworker")
            .order_by("participant__last_name", "participant__first_name")
        )
        clients_by_email: dict[str, list[str]] = {}
        for enrolment in affected:
            participant = enrolment.participant
            # Names only: no national register number or other data leaves by e-mail.
            clients_by_email.setdefault(participant.caseworker.email, []).append(
                f"{participant.first_name} {participant.last_name}"
            )
        title = module.title
        transaction.on_commit(
            lambda: _mail_cancellation(title=title, reason=reason, clients=clients_by_email),
            robust=True,
        )
    return module


def _mail_cancellation(*, title: str, reason: str, clients: dict[str, list[str]]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Module cancelled: %(title)s") % {"title": title}
        messages = []
        for email, names in clients.items():
            body = render_to_string(
                "modules/planning/email_module_cancelled.txt",
                {"title": title, "reason": reason, "names": names},
            )
            messages.append((subject, body, None, [email]))
        send_mass_mail(messages, fail_silently=False)


def add_session(*, session: Session, by) -> Session:
    """Add one session to a module that is still being planned or run."""
    with transaction.atomic():
        _refuse_if_finished(_lock_module(session.module))
        session.status = Session.Status.PLANNED
        session.full_clean()
        session.save()
    return session


def generate_sessions(*, module: Module, rule: SessionRule) -> list[Session]:
    """Create the series of sessions `rule` gives (holidays skipped), all or nothing."""
    dates, _skipped = plan_session_dates(rule)
    if not dates:
        raise DomainError(_("This series gives no dates."))
    if rule.end_time <= rule.start_time:
        raise DomainError(_("The end time must be after the start time."))
    with transaction.atomic():
        _refuse_if_finished(_lock_module(module))
        return bulk_create_with_history(
            [
                Session(
                    module=module,
                    date=day,
                    start_time=rule.start_time,
                    end_time=rule.end_time,
                    location=rule.location,
                    topic=rule.topic,
                )
                for day in dates
            ],
            Session,
        )


def _lock_open_session(session: Session) -> Session:
    session = Session.objects.select_for_update().select_related("module").get(pk=session.pk)
    if session.status == Session.Status.HELD:
        raise DomainError(_("This session has been held; it cannot be moved or cancelled."))
    if session.status == Session.Status.CANCELLED:
        raise DomainError(_("This session is cancelled."))
    return session


def update_session(*, session: Session, location: str, topic: str, by) -> Session:
    """Change what a session is about or where it is (any session that is not cancelled)."""
    with transaction.atomic():
        current = Session.objects.select_for_update().get(pk=session.pk)
        if current.status == Session.Status.CANCELLED:
            raise DomainError(_("This session is cancelled."))
        current.location = location
        current.topic = topic
        current.save(update_fields=["location", "topic"])
    return current


def move_session(
    *,
    session: Session,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    by,
) -> Session:
    """Give a planned session a new date and time."""
    if end_time <= start_time:
        raise DomainError(_("The end time must be after the start time."))
    with transaction.atomic():
        current = _lock_open_session(session)
        current.date, current.start_time, current.end_time = date, start_time, end_time
        current.save(update_fields=["date", "start_time", "end_time"])
    return current


def cancel_session(*, session: Session, reason: str, by) -> Session:
    """Cancel a planned session, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the cancellation."))
    with transaction.atomic():
        current = _lock_open_session(session)
        current.status = Session.Status.CANCELLED
        current.cancel_reason = reason[:300]
        current.save(update_fields=["status", "cancel_reason"])
    return current


def record_attendance(*, session: Session, marks: dict[int, str], by) -> int:
    """Save present/absent/excused for the session's participants in one go and mark the
    session held. All or nothing: any enrolment outside the session's list refuses the lot.
    Returns the number of marks saved."""
    valid_statuses = set(Attendance.Status.values)
    if any(status not in valid_statuses for status in marks.values()):
        raise DomainError(_("Choose present, absent or excused."))
    with transaction.atomic():
        # Lock the module first (as cancel_module and close_module do): closing or cancelling
        # the module cannot interleave with saving its attendance.
        module = _lock_module(session.module)
        session = Session.objects.select_for_update().get(pk=session.pk)
        session.module = module
        if session.status == Session.Status.CANCELLED:
            raise DomainError(_("This session is cancelled; attendance cannot be recorded."))
        if session.module.status == Module.Status.CANCELLED:
            raise DomainError(_("This module is cancelled; attendance cannot be recorded."))
        if session.module.status == Module.Status.COMPLETED:
            # Completion was decided on the recorded attendance; it stays as it was.
            raise DomainError(_("This module is closed; its attendance can no longer change."))
        allowed = set(attendance_enrolments(session).values_list("pk", flat=True))
        if set(marks) - allowed:
            raise DomainError(
                _("Some participants are not enrolled in this module; nothing was saved.")
            )
        existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
        now = timezone.now()
        to_update, to_create = [], []
        for enrolment_id, status in marks.items():
            if enrolment_id in existing:
                attendance = existing[enrolment_id]
                attendance.status, attendance.recorded_by, attendance.recorded_at = (
                    status,
                    by,
                    now,
                )
                to_update.append(attendance)
            else:
                to_create.append(
                    Attendance(
                        session=session, enrolment_id=enrolment_id, status=status, recorded_by=by
                    )
                )
        # One insert and one update for the whole page, each with its history rows.
        bulk_create_with_history(to_create, Attendance, default_user=by)
        bulk_update_with_history(
            to_update, Attendance, ["status", "recorded_by", "recorded_at"], default_user=by
        )
        if session.status != Session.Status.HELD:
            session.status = Session.Status.HELD
            session.save(update_fields=["status"])
    return len(marks)


def close_module(*, module: Module, by) -> Module:
    """Close a module whose sessions are all held or cancelled (at least one held).

    Enrolled participants who attended at least the threshold share of the held sessions
    become `completed`, the others `no_show`; the waiting list is withdrawn ("module
    closed"). Only `present` counts as attended (excused is not attended).
    """
    with transaction.atomic():
        module = _lock_module(module)
        _refuse_if_finished(module)
        sessions = module.sessions.aggregate(
            planned=Count("pk", filter=Q(status=Session.Status.PLANNED)),
            held=Count("pk", filter=Q(status=Session.Status.HELD)),
        )
        if sessions["planned"]:
            raise DomainError(
                ngettext(
                    "%(n)d session is still planned: record its attendance or cancel it.",
                    "%(n)d sessions are still planned: record their attendance or cancel them.",
                    sessions["planned"],
                )
                % {"n": sessions["planned"]}
            )
        if not sessions["held"]:
            raise DomainError(_("No session of this module has been held; cancel it instead."))
        held = sessions["held"]
        now = timezone.now()
        enrolments = module.enrolments.filter(status=Enrolment.Status.ENROLLED).annotate(
            present=Count(
                "attendances",
                filter=Q(
                    attendances__status=Attendance.Status.PRESENT,
                    attendances__session__status=Session.Status.HELD,
                ),
            )
        )
        changed = []
        for enrolment in enrolments:
            # Integer arithmetic: exactly at the threshold counts as completed.
            if enrolment.present * 100 >= module.completion_threshold * held:
                enrolment.status = Enrolment.Status.COMPLETED
                enrolment.completed_at = now
            else:
                enrolment.status = Enrolment.Status.NO_SHOW
            enrolment.status_changed_at = now
            changed.append(enrolment)
        waiting = list(module.enrolments.filter(status=Enrolment.Status.WAITLISTED))
        for enrolment in waiting:
            enrolment.status = Enrolment.Status.WITHDRAWN
            enrolment.waitlist_position = None
            enrolment.withdrawn_at = now
            enrolment.withdrawal_reason = str(_("Module closed"))
            enrolment.status_changed_at = now
        bulk_update_with_history(
            changed, Enrolment, ["status", "completed_at", "status_changed_at"], default_user=by
        )
        bulk_update_with_history(
            waiting,
            Enrolment,
            [
                "status",
                "waitlist_position",
                "withdrawn_at",
                "withdrawal_reason",
                "status_changed_at",
            ],
            default_user=by,
        )
        module.status = Module.Status.COMPLETED
        module.enrolment_open = False
        module.save(update_fields=["status", "enrolment_open", "updated_at"])
    return module
