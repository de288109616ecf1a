"""The module lifecycle's rules, written once: what each step needs, what blocks it, and
which status the sessions call for.

Pure functions over a module and its sessions (no writes): the services in
`services/lifecycle.py` and `services/planning.py` raise `DomainError` with the blocker
these return, and the module page shows the same text before anyone clicks. The table of
allowed moves is `Module.TRANSITIONS`; docs/staff.md has it for people.

    planned ──open enrolment──▶ open ──first session held──▶ running
       ▲  ◀──close enrolment──┘                                 │ last planned session
       └──first session held──────────────────────▶ running     ▼ held or cancelled
                                    running ◀──session planned again── finished
                                                           finished ──close──▶ completed
    any status but completed ──cancel──▶ cancelled
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Module, Session

Status = Module.Status


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class Sessions:
    """What the lifecycle needs to know about a module's sessions on `today`."""

    today: datetime.date
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    next_planned: datetime.date | None = None  # the first planned session's date
    last_planned: datetime.date | None = None
    last_held: datetime.date | None = None
    planned_from_today: int = 0  # planned sessions on or after today

    @classmethod
    def of(cls, sessions: Iterable[Session], today: datetime.date) -> "Sessions":
        planned = sorted(s.date for s in sessions if s.status == Session.Status.PLANNED)
        held = sorted(s.date for s in sessions if s.status == Session.Status.HELD)
        cancelled = sum(1 for s in sessions if s.status == Session.Status.CANCELLED)
        return cls(
            today=today,
            planned=len(planned),
            held=len(held),
            cancelled=cancelled,
            next_planned=planned[0] if planned else None,
            last_planned=planned[-1] if planned else None,
            last_held=held[-1] if held else None,
            planned_from_today=sum(1 for day in planned if day >= today),
        )

    @property
    def last_date(self) -> datetime.date | None:
        """The date of the module's last session that is not cancelled."""
        dates = [d for d in (self.last_planned, self.last_held) if d is not None]
        return max(dates) if dates else None


def next_status_for_sessions(module: Module, sessions: Sessions) -> str:
    """The next status the sessions call for (one step of `Module.TRANSITIONS`): the first
    held session starts the module, the last planned one held (or cancelled) finishes it, a
    new planned session resumes it. The module's own status when nothing calls for a move."""
    status = module.status
    if status in (Status.PLANNED, Status.OPEN) and sessions.held:
        return Status.RUNNING
    if status == Status.RUNNING and sessions.held and not sessions.planned:
        return Status.FINISHED
    if status == Status.FINISHED and sessions.planned:
        return Status.RUNNING
    return status


# --- what blocks each step (None: nothing does) -----------------------------------------


def closed_blocker(module: Module) -> str | None:
    """Any change to a closed or cancelled module."""
    if module.status == Status.CANCELLED:
        return _("This module is cancelled; it can no longer change.")
    if module.status == Status.COMPLETED:
        return _("This module is closed; it can no longer change.")
    return None


def open_enrolment_blocker(module: Module, sessions: Sessions) -> str | None:
    if blocker := closed_blocker(module):
        return blocker
    if module.status == Status.FINISHED:
        return _("Every session has been given: close the module instead.")
    if module.accepts_enrolments:
        return _("Enrolment is already open.")
    if module.status == Status.PLANNED and not sessions.planned_from_today:
        return _("Plan at least one session from today on before opening enrolment.")
    return None


def close_enrolment_blocker(module: Module) -> str | None:
    if blocker := closed_blocker(module):
        return blocker
    if not module.accepts_enrolments:
        return _("Enrolment is already closed.")
    return None


def close_blocker(module: Module, sessions: Sessions) -> str | None:
    """Closing records completions: only when every session is held or cancelled, at least
    one was held, and never before the last session's date."""
    if blocker := closed_blocker(module):
        return blocker
    if sessions.planned:
        return ngettext(
            "%(n)d session is still planned (on %(date)s): record its attendance or cancel it.",
            "%(n)d sessions are still planned (the last on %(date)s): record their attendance "
            "or cancel them.",
            sessions.planned,
        ) % {"n": sessions.planned, "date": _day(sessions.last_planned)}
    if not sessions.held:
        return _("No session of this module has been held; cancel it instead.")
    if sessions.last_held > sessions.today:
        return _("The last session is on %(date)s; the module can be closed from that day on.") % {
            "date": _day(sessions.last_held)
        }
    return None


def session_change_blocker(session: Session, *, moving: bool) -> str | None:
    """Moving or cancelling needs a planned session; editing its topic, one not cancelled."""
    if session.status == Session.Status.CANCELLED:
        return _("This session is cancelled.")
    if moving and session.status == Session.Status.HELD:
        return _("This session has been held; it cannot be moved or cancelled.")
    return None


def attendance_blocker(module: Module, session: Session, today: datetime.date) -> str | None:
    """Attendance (and so "held") only for a session of a module still running, on or after
    the session's date (Europe/Brussels, the project's time zone)."""
    if session.status == Session.Status.CANCELLED:
        return _("This session is cancelled; attendance cannot be recorded.")
    if module.status == Status.CANCELLED:
        return _("This module is cancelled; attendance cannot be recorded.")
    if module.status == Status.COMPLETED:
        # Completion was decided on the recorded attendance; it stays as it was.
        return _("This module is closed; its attendance can no longer change.")
    if session.is_after(today):
        return session.not_yet_message()
    return None


# --- the module page: the next step and what blocks it -----------------------------------


@dataclass(frozen=True)
class NextStep:
    text: str
    blocker: str | None = None


def next_step(module: Module, sessions: Sessions) -> NextStep:
    """What staff do next with this module, and what stands in the way (for the page)."""
    status = module.status
    if status == Status.CANCELLED:
        return NextStep(_("Nothing: the module is cancelled."))
    if status == Status.COMPLETED:
        return NextStep(_("Nothing: the module is closed and its completions are recorded."))
    if status == Status.FINISHED:
        return NextStep(
            _("Close the module to record who completed it."), close_blocker(module, sessions)
        )
    if not sessions.planned and not sessions.held:
        if sessions.cancelled:
            return NextStep(
                _("Every session is cancelled: plan new sessions or cancel the module.")
            )
        return NextStep(_("Plan the sessions: add one or plan a series."))
    if status == Status.PLANNED and not sessions.held:
        return NextStep(
            _("Open the module for enrolment, so that caseworkers can enrol their clients."),
            open_enrolment_blocker(module, sessions),
        )
    # open or running: the sessions come next.
    if sessions.next_planned is None:  # running without planned sessions: cannot last
        return NextStep(_("Plan the remaining sessions."))
    if sessions.next_planned > sessions.today:
        return NextStep(
            _("Record the attendance of the session of %(date)s.")
            % {"date": _day(sessions.next_planned)},
            _("Attendance can be recorded from the day of the session on."),
        )
    return NextStep(
        _("Record the attendance of the session of %(date)s.")
        % {"date": _day(sessions.next_planned)}
    )
