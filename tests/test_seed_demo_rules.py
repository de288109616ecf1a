"""The demo data obey every rule of the app (issue 9): what `seed_demo` writes is what the
services could have produced. One seeded database, every rule checked over all of it."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from modules import lifecycle
from modules.models import Attendance, Enrolment, Module, Session
from modules.queries import TAKEN_PLACE_STATUSES
from modules.services import completion_status
from partnerships.models import Partnership, PlanTarget

pytestmark = pytest.mark.django_db


def test_the_demo_data_obey_every_rule(settings, today):
    """One seeding (it takes seconds), every rule below checked over it."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    for check in (
        check_nothing_is_held_or_attended_before_its_date,
        check_places_are_never_exceeded_and_waiting_lists_are_in_order,
        check_every_module_is_in_the_state_its_sessions_call_for,
        check_outcomes_follow_the_attendance_and_only_in_closed_modules,
        check_certificates_are_dated_after_the_last_session,
        check_plan_years_lie_inside_their_agreements,
    ):
        check(today)


def check_nothing_is_held_or_attended_before_its_date(seeded):
    today = seeded
    assert not Session.objects.filter(status="held", date__gt=today).exists()
    assert not Attendance.objects.filter(session__date__gt=today).exists()
    assert not Attendance.objects.exclude(session__status="held").exists()


def check_places_are_never_exceeded_and_waiting_lists_are_in_order(seeded):
    modules = Module.objects.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=TAKEN_PLACE_STATUSES))
    )
    assert [m.title for m in modules if m.taken > m.capacity] == []
    for module in Module.objects.filter(enrolments__status="waitlisted").distinct():
        positions = module.enrolments.filter(status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
        assert sorted(positions) == list(range(1, len(positions) + 1))
        assert module.accepts_enrolments


def check_every_module_is_in_the_state_its_sessions_call_for(seeded):
    today = seeded
    wrong = []
    for module in Module.objects.prefetch_related("sessions"):
        sessions = lifecycle.Sessions.of(module.sessions.all(), today)
        if module.status == Module.Status.COMPLETED:
            ok = not sessions.planned and sessions.held and sessions.last_held <= today
        elif module.status == Module.Status.CANCELLED:
            ok = not sessions.planned
        else:
            ok = lifecycle.next_status_for_sessions(module, sessions) == module.status
        ok = ok and module.enrolment_open == (module.status == Module.Status.OPEN)
        if not ok:
            wrong.append((module.title, module.status))
    assert wrong == []
    assert set(Module.objects.values_list("status", flat=True)) >= {
        "planned",
        "open",
        "running",
        "completed",
        "cancelled",
    }


def check_outcomes_follow_the_attendance_and_only_in_closed_modules(seeded):
    outcomes = ("completed", "not_completed", "no_show")
    assert not Enrolment.objects.filter(status__in=outcomes).exclude(module__status="completed")
    held = dict(
        Module.objects.annotate(n=Count("sessions", filter=Q(sessions__status="held"))).values_list(
            "pk", "n"
        )
    )
    enrolments = (
        Enrolment.objects.filter(status__in=outcomes)
        .select_related("module")
        .annotate(present=Count("attendances", filter=Q(attendances__status="present")))
    )
    wrong = [
        (e.pk, e.status)
        for e in enrolments
        if completion_status(e.present, held[e.module_id], e.module) != e.status
    ]
    assert wrong == []
    assert {e.status for e in enrolments} == set(outcomes)
    assert not Enrolment.objects.filter(status="enrolled", module__status="completed").exists()


def check_certificates_are_dated_after_the_last_session(seeded):
    completed = Enrolment.objects.filter(status="completed").annotate(
        last=Max("module__sessions__date", filter=Q(module__sessions__status="held"))
    )
    assert [e.pk for e in completed if timezone.localdate(e.completed_at) < e.last] == []


def check_plan_years_lie_inside_their_agreements(seeded):
    wrong = [
        (target.partnership.agreement_reference, target.year)
        for target in PlanTarget.objects.select_related("partnership")
        if target.partnership.plan_years_error([target.year])
    ]
    assert wrong == []
    assert not Partnership.objects.filter(end_date__lt=F("start_date")).exists()
