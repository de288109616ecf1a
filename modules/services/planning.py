"""Planning (staff): modules, session series skipping holidays, attendance, completion
and cancellation."""

import datetime
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import lifecycle
from ..models import (
    END_BEFORE_START,
    Attendance,
    Enrolment,
    MailKind,
    Module,
    Session,
    ends_after_start,
)
from ..queries import (
    attendance_enrolments,
    clients_by_caseworker_email,
    taken_places,
)
from .enrolment import fill_free_places
from .errors import DomainError
from .lifecycle import lock_module, refuse_if_closed, sync_status
from .mail import queue_mail
from .rollup import refresh_modules

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


def closed_day(day: datetime.date) -> str | None:
    """Why the agencies are closed on `day` (a public holiday's name, or Saturday/Sunday), or
    None on a working day: the holidays are the series planner's (`public_holidays`)."""
    if name := public_holidays([day.year]).get(day):
        return name
    if day.weekday() >= 5:
        return str(_("a Saturday") if day.weekday() == 5 else _("a Sunday"))
    return None


def closed_day_warning(day: datetime.date | None) -> str | None:
    """The warning a session moved onto a closed day gets (None on a working day)."""
    if day is None or not (reason := closed_day(day)):
        return None
    return str(
        _("%(date)s is %(reason)s: the agencies are closed. Confirm to plan the session anyway.")
        % {"date": date_format(day, "SHORT_DATE_FORMAT"), "reason": reason}
    )


def series_errors(
    *,
    start_date: datetime.date | None,
    count: int | None,
    end_date: datetime.date | None,
    interval_weeks: int | None = 1,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
) -> dict[str | None, str]:
    """The one set of session-series limits, by field (None: the whole form); the series form
    shows them beside its fields and `plan_session_dates` refuses the rule with them."""
    errors: dict[str | None, str] = {}
    if not ends_after_start(start_time, end_time):
        errors["end_time"] = END_BEFORE_START
    if count is None and end_date is None:
        errors["count"] = _("Give either a number of sessions or an end date.")
    elif count is not None and end_date is not None:
        errors["end_date"] = _("Give a number of sessions or an end date, not both.")
    elif count is not None and not 1 <= count <= MAX_SERIES_SESSIONS:
        errors["count"] = _("A series has between 1 and %(max)d sessions.") % {
            "max": MAX_SERIES_SESSIONS
        }
    if interval_weeks not in (1, 2):
        errors["interval_weeks"] = _("A series repeats every week or every two weeks.")
    if start_date is not None and not MIN_SERIES_YEAR <= start_date.year <= MAX_SERIES_YEAR:
        errors["start_date"] = _("A series starts between %(min)d and %(max)d.") % {
            "min": MIN_SERIES_YEAR,
            "max": MAX_SERIES_YEAR,
        }
    elif start_date is not None and end_date is not None:
        if end_date < start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        elif (end_date - start_date).days > MAX_SERIES_DAYS:
            errors["end_date"] = _("A series spans at most two years.")
    return errors


def plan_session_dates(
    rule: SessionRule,
) -> tuple[list[datetime.date], list[tuple[datetime.date, str]]]:
    """The dates a rule gives, and the (date, holiday name) pairs it skipped.

    With `count`, skipped holidays do not count: the series gets `count` real sessions.
    Pure (no database), so the preview and the save use the very same computation.
    """
    errors = series_errors(
        start_date=rule.start_date,
        count=rule.count,
        end_date=rule.end_date,
        interval_weeks=rule.interval_weeks,
        start_time=rule.start_time,
        end_time=rule.end_time,
    )
    if errors:
        raise DomainError(list(errors.values()))
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


def save_module(*, module: Module, themes, objectives, by) -> Module:
    """Create or update a module (the form validated the fields) with its themes/objectives.

    Status and enrolment are not edited here: they change through the lifecycle services.
    A raised capacity promotes waitlisted clients at once; they are in `module.promoted`."""
    with transaction.atomic():
        if module.pk:
            current = lock_module(module)
            refuse_if_closed(current)
            if error := capacity_error(current.pk, module.capacity):
                raise DomainError(error)
            # The lifecycle's fields stay as the lifecycle left them, whatever was posted.
            module.status, module.enrolment_open = current.status, current.enrolment_open
        else:
            module.status, module.enrolment_open = Module.Status.PLANNED, False
        if error := module.facilitator_error():
            raise DomainError(error)
        module.save()
        module.themes.set(themes)
        module.objectives.set(objectives)
        # More places: the waiting list moves up at once, in order.
        module.promoted = fill_free_places(module=module)
    return module


def capacity_error(module_id: int | None, capacity: int | None) -> str | None:
    """The one "capacity ≥ places taken" rule (the form shows it; `save_module` enforces it
    under the module lock)."""
    if module_id is None or capacity is None:
        return None
    taken = taken_places(module_id)
    if capacity < taken:
        return ngettext(
            "Capacity cannot be below the %(n)d participant already enrolled.",
            "Capacity cannot be below the %(n)d participants already enrolled.",
            taken,
        ) % {"n": taken}
    return None


def add_session(*, session: Session, by) -> Session:
    """Add one session to a module that is still being planned or run (a finished module
    runs again)."""
    with transaction.atomic():
        module = lock_module(session.module)
        refuse_if_closed(module)
        session.status = Session.Status.PLANNED
        session.full_clean()
        session.save()
        sync_status(module)
    return session


def generate_sessions(*, module: Module, rule: SessionRule) -> list[Session]:
    """Create the series of sessions `rule` gives (holidays skipped), all or nothing."""
    dates, _skipped = plan_session_dates(rule)
    if not dates:
        raise DomainError(_("This series gives no dates."))
    with transaction.atomic():
        module = lock_module(module)
        refuse_if_closed(module)
        created = bulk_create_with_history(
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
        sync_status(module)
        return created


def _lock_session(session: Session, *, moving: bool) -> Session:
    session = Session.objects.select_for_update().select_related("module").get(pk=session.pk)
    if blocker := lifecycle.session_change_blocker(session, moving=moving):
        raise DomainError(blocker)
    return session


def update_session(*, session: Session, location: str, topic: str, by) -> Session:
    """Change what a session is about or where it is (any session that is not cancelled)."""
    with transaction.atomic():
        current = _lock_session(session, moving=False)
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
    confirm_closed_day: bool = False,
) -> Session:
    """Give a planned session a new date and time; a weekend day or a public holiday needs
    `confirm_closed_day` (the warning says which day it is)."""
    if not ends_after_start(start_time, end_time):
        raise DomainError(END_BEFORE_START)
    if not confirm_closed_day and (warning := closed_day_warning(date)):
        raise DomainError({"date": warning})
    with transaction.atomic():
        current = _lock_session(session, moving=True)
        was = _when(current)
        current.date, current.start_time, current.end_time = date, start_time, end_time
        current.save(update_fields=["date", "start_time", "end_time"])
        refresh_modules([current.module_id])
        if _when(current) != was:
            _mail_session_change(current, template="email_session_moved.txt", was=was)
    return current


def _when(session: Session) -> str:
    """A session's date and times in words, in the agencies' language."""
    with translation.override(settings.LANGUAGE_CODE):
        day = date_format(session.date, "l j F Y")
        start, end = time_format(session.start_time, "H:i"), time_format(session.end_time, "H:i")
        return f"{day}, {start}–{end}"


def _mail_session_change(session: Session, *, template: str, was: str) -> None:
    """Tell the caseworkers of the module's enrolled and waitlisted clients, each about their
    own clients only (names, no other data); queued in the caller's transaction."""
    affected = Enrolment.objects.filter(
        module_id=session.module_id,
        status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED],
    )
    module = session.module
    with translation.override(settings.LANGUAGE_CODE):
        if session.status == Session.Status.CANCELLED:
            subject = _("Session cancelled: %(title)s") % {"title": module.title}
        else:
            subject = _("Session moved: %(title)s") % {"title": module.title}
        for email, names in clients_by_caseworker_email(
            affected, kind=MailKind.SESSION_CHANGE
        ).items():
            body = render_to_string(
                f"modules/planning/{template}",
                {
                    "title": module.title,
                    "was": was,
                    "now": _when(session),
                    "reason": session.cancel_reason,
                    "names": names,
                },
            )
            queue_mail(to=email, subject=subject, body=body)


def cancel_session(*, session: Session, reason: str, by) -> Session:
    """Cancel a planned session, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the cancellation."))
    with transaction.atomic():
        module = lock_module(session.module)
        current = _lock_session(session, moving=True)
        current.status = Session.Status.CANCELLED
        current.cancel_reason = reason[:300]
        current.save(update_fields=["status", "cancel_reason"])
        refresh_modules([module.pk])
        _mail_session_change(current, template="email_session_cancelled.txt", was=_when(current))
        sync_status(module)  # cancelling the last planned session can finish the module
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
        module = lock_module(session.module)
        session = Session.objects.select_for_update().get(pk=session.pk)
        session.module = module
        check_attendance(session)
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
            sync_status(module)  # the first held session starts it, the last finishes it
        refresh_modules([module.pk])
    return len(marks)


def check_attendance(session: Session) -> None:
    """Refuse attendance for this session (a cancelled one, a closed module's, or one whose
    date is still to come in Brussels); the attendance page calls it before showing the form."""
    if blocker := lifecycle.attendance_blocker(session.module, session, timezone.localdate()):
        raise DomainError(blocker)
