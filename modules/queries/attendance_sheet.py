"""Reads for the printable attendance sheets (issue 11): one session, or a whole module with
its sessions as columns. Scoped like the attendance page: another office's module is a 404."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models import Enrolment, Module, Session
from .planning import ATTENDEE_STATUSES, attendance_enrolments
from .scoping import modules_visible_to, sessions_visible_to


def _sheet_modules(user) -> QuerySet[Module]:
    return modules_visible_to(user).select_related(
        "partnership__office", "partnership__lead_partner", "partner_facilitator"
    )


def session_sheet(user, pk) -> tuple[Session, list[Enrolment]]:
    """A visible session with its module and who belongs on its list (404 for others')."""
    sessions = sessions_visible_to(user).select_related(
        "module__partnership__office",
        "module__partnership__lead_partner",
        "module__partner_facilitator",
    )
    session = get_object_or_404(sessions, pk=pk)
    return session, list(attendance_enrolments(session))


def module_sheet(user, pk) -> tuple[Module, list[Session], list[Enrolment]]:
    """A visible module, its sessions that are not cancelled (the columns) and the people
    on its list (the rows): three queries."""
    module = get_object_or_404(_sheet_modules(user), pk=pk)
    sessions = list(
        module.sessions.exclude(status=Session.Status.CANCELLED).order_by("date", "start_time")
    )
    enrolments = list(
        Enrolment.objects.filter(module=module, status__in=ATTENDEE_STATUSES)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    return module, sessions, enrolments
