"""Who changed what, when: the bulk writes of planning keep the change history too."""

import datetime

import pytest
from django.urls import reverse

from modules.models import Attendance, Enrolment, Session
from modules.services import cancel_module, close_module, generate_sessions, record_attendance
from modules.services.planning import SessionRule
from tests import factories as f


@pytest.fixture
def module_a(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, completion_threshold=50)


def test_recording_attendance_writes_history_with_the_user(module_a, staff_a):
    session = f.SessionFactory(module=module_a)
    enrolments = [f.EnrolmentFactory(module=module_a) for _ in range(3)]
    record_attendance(session=session, marks={e.pk: "present" for e in enrolments}, by=staff_a)
    record_attendance(session=session, marks={enrolments[0].pk: "absent"}, by=staff_a)

    history = Attendance.history.filter(session_id=session.pk)
    assert history.filter(history_type="+").count() == 3
    changed = history.filter(history_type="~").get()
    assert (changed.status, changed.history_user) == ("absent", staff_a)


def test_closing_a_module_writes_enrolment_history(module_a, staff_a):
    session = f.SessionFactory(module=module_a, status=Session.Status.HELD)
    present = f.EnrolmentFactory(module=module_a)
    absent = f.EnrolmentFactory(module=module_a)
    waiting = f.EnrolmentFactory(
        module=module_a, status=Enrolment.Status.WAITLISTED, waitlist_position=1
    )
    record_attendance(
        session=session, marks={present.pk: "present", absent.pk: "absent"}, by=staff_a
    )
    close_module(module=module_a, by=staff_a)

    def last(enrolment):
        return Enrolment.history.filter(id=enrolment.pk).latest("history_date")

    assert (last(present).status, last(present).history_user) == ("completed", staff_a)
    assert last(absent).status == "no_show"
    assert last(waiting).status == "withdrawn"


def test_cancelling_a_module_writes_session_history(module_a, staff_a):
    generate_sessions(
        module=module_a,
        rule=SessionRule(
            weekday=0,
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            start_date=datetime.date(2027, 3, 1),
            count=3,
        ),
    )
    assert Session.history.filter(module_id=module_a.pk, history_type="+").count() == 3
    cancel_module(module=module_a, reason="Te weinig inschrijvingen", by=staff_a)
    cancelled = Session.history.filter(module_id=module_a.pk, history_type="~")
    assert cancelled.count() == 3
    assert {h.status for h in cancelled} == {"cancelled"}


def test_evaluations_keep_a_change_history_with_the_user(client, staff_a, partnership_a):
    from modules.models import Evaluation

    client.force_login(staff_a)
    url = reverse("modules:evaluation_add_partnership", kwargs={"partnership_pk": partnership_a.pk})
    client.post(url, {"date": "2026-06-01", "source": "agency", "rating": "4", "findings": "Goed."})
    evaluation = Evaluation.objects.get()
    evaluation.findings = "Goed verlopen."
    evaluation.save()

    history = Evaluation.history.filter(id=evaluation.pk).order_by("history_date")
    assert [(h.history_type, h.findings) for h in history] == [
        ("+", "Goed."),
        ("~", "Goed verlopen."),
    ]
    assert history.first().history_user == staff_a
