"""The module lifecycle (staff): every change of `Module.status` happens here, each
transition a function that locks the module row, checks the rule in `modules.lifecycle`
and `Module.TRANSITIONS`, and moves it.

    open_enrolment   planned → open               (running: late enrolment on again)
    close_enrolment  open → planned               (running: no more late enrolment)
    sync_status      planned/open → running → finished → running, by the sessions
    close_module     finished → completed
    cancel_module    planned/open/running/finished → cancelled
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from .. import lifecycle
from ..models import Attendance, Enrolment, MailKind, Module, Session
from ..queries import clients_by_caseworker_email
from .errors import DomainError
from .mail import queue_mail
from .rollup import refresh_enrolments


def lock_module(module: Module) -> Module:
    """Re-read the module row under a lock: every planning, attendance, enrolment and
    lifecycle write on one module queues here, so their checks see what the others did."""
    return Module.objects.select_for_update().get(pk=module.pk)


def sessions_of(module: Module) -> lifecycle.Sessions:
    return lifecycle.Sessions.of(
        Session.objects.filter(module=module).only("date", "status"), timezone.localdate()
    )


def refuse_if_closed(module: Module) -> None:
    if blocker := lifecycle.closed_blocker(module):
        raise DomainError(blocker)


def _move(module: Module, status: str, *, enrolment_open: bool, extra: tuple = ()) -> Module:
    if status != module.status and not module.may_become(status):
        # A bug, not a user error: every caller checked its own rule first.
        raise DomainError(
            _("A module that is %(current)s cannot become %(new)s.")
            % {
                "current": module.get_status_display().lower(),
                "new": Module.Status(status).label.lower(),
            }
        )
    module.status = status
    module.enrolment_open = enrolment_open
    module.save(update_fields=["status", "enrolment_open", "updated_at", *extra])
    return module


def sync_status(module: Module) -> Module:
    """Let the status follow the sessions (first held → running; none planned and one held →
    finished; planned again → running), one transition at a time. Call with the module row
    locked."""
    sessions = sessions_of(module)
    while (status := lifecycle.next_status_for_sessions(module, sessions)) != module.status:
        # Late enrolment stays as it was when the module starts; a finished module takes none.
        enrolment_open = module.enrolment_open and status == Module.Status.RUNNING
        _move(module, status, enrolment_open=enrolment_open)
    return module


def open_enrolment(*, module: Module, by) -> Module:
    """planned → open (caseworkers can enrol); for a running module: late enrolment on."""
    from .enrolment import fill_free_places  # enrolment imports this module's lock

    with transaction.atomic():
        module = lock_module(module)
        if blocker := lifecycle.open_enrolment_blocker(module, sessions_of(module)):
            raise DomainError(blocker)
        status = Module.Status.OPEN if module.status == Module.Status.PLANNED else module.status
        _move(module, status, enrolment_open=True)
        fill_free_places(module=module)
    return module


def close_enrolment(*, module: Module, by) -> Module:
    """open → planned (no enrolment until opened again); for a running module: no more late
    enrolment. Enrolments already made stay."""
    with transaction.atomic():
        module = lock_module(module)
        if blocker := lifecycle.close_enrolment_blocker(module):
            raise DomainError(blocker)
        status = Module.Status.PLANNED if module.status == Module.Status.OPEN else module.status
        return _move(module, status, enrolment_open=False)


def close_module(*, module: Module, by) -> Module:
    """finished → completed: record who completed the module.

    Enrolled participants present at least at the threshold share of the held sessions
    become `completed`; those present at fewer become `not_completed`, and those never
    present `no_show`. The waiting list is withdrawn ("module closed"). Only `present`
    counts as attended (excused is not attended).
    """
    with transaction.atomic():
        module = lock_module(module)
        sessions = sessions_of(module)
        if blocker := lifecycle.close_blocker(module, sessions):
            raise DomainError(blocker)
        module = sync_status(module)  # rows from before the state machine may still lag
        held = sessions.held
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
            enrolment.status = completion_status(enrolment.present, held, module)
            if enrolment.status == Enrolment.Status.COMPLETED:
                enrolment.completed_at = now
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
        refresh_enrolments([module.pk])  # the report's counts, in this transaction
        return _move(module, Module.Status.COMPLETED, enrolment_open=False)


def completion_status(present: int, held: int, module: Module) -> str:
    """The one completion rule: completed at or above the threshold share of the held
    sessions (integer arithmetic: exactly at the threshold completes), no-show if never
    present, not completed in between."""
    if held and present * 100 >= module.completion_threshold * held:
        return Enrolment.Status.COMPLETED
    if present == 0:
        return Enrolment.Status.NO_SHOW
    return Enrolment.Status.NOT_COMPLETED


def cancel_module(*, module: Module, reason: str, by) -> Module:
    """Cancel a module: closed for enrolment, planned sessions cancelled, and the caseworkers
    of enrolled and waitlisted clients told by e-mail (one mail each, queued in the same
    transaction, so a rollback sends nothing and an SMTP outage loses nothing)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the cancellation."))
    with transaction.atomic():
        module = lock_module(module)
        refuse_if_closed(module)
        module.cancel_reason = reason
        _move(module, Module.Status.CANCELLED, enrolment_open=False, extra=("cancel_reason",))
        planned = list(module.sessions.filter(status=Session.Status.PLANNED))
        for session in planned:
            session.status, session.cancel_reason = Session.Status.CANCELLED, reason[:300]
        # The *_with_history helpers keep the change history that plain bulk writes skip.
        bulk_update_with_history(planned, Session, ["status", "cancel_reason"], default_user=by)
        affected = Enrolment.objects.filter(
            module=module, status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED]
        )
        # In the agencies' language, whatever language the staff member's screen is in.
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Module cancelled: %(title)s") % {"title": module.title}
            for email, names in clients_by_caseworker_email(
                affected, kind=MailKind.MODULE_CANCELLED
            ).items():
                # Names only: no national register number or other data leaves by e-mail.
                body = render_to_string(
                    "modules/planning/email_module_cancelled.txt",
                    {"title": module.title, "reason": reason, "names": names},
                )
                queue_mail(to=email, subject=subject, body=body)
    return module
