"""Attendance: one page per session, one submit saves every mark and marks the session held."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Attendance, Enrolment, Session
from modules.services import DomainError, record_attendance
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_a(partnership_a):
    return f.ModuleFactory(partnership=partnership_a)


@pytest.fixture
def session_a(module_a):
    return f.SessionFactory(module=module_a)


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def test_page_lists_seat_holders_only_with_recorded_marks(staff_client, module_a, session_a):
    enrolled = f.EnrolmentFactory(module=module_a)
    marked = f.EnrolmentFactory(module=module_a)
    f.AttendanceFactory(enrolment=marked, session=session_a, status=Attendance.Status.EXCUSED)
    f.EnrolmentFactory(module=module_a, status=Enrolment.Status.WAITLISTED, waitlist_position=1)
    f.EnrolmentFactory(module=module_a, status=Enrolment.Status.WITHDRAWN)
    response = staff_client.get(reverse("modules:attendance", args=[session_a.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert {e.pk for e, _name in form.rows} == {enrolled.pk, marked.pk}
    assert form[f"mark_{marked.pk}"].value() == "excused"
    assert form[f"mark_{enrolled.pk}"].value() is None
    assert "checked" in response.content.decode()


def test_one_submit_saves_all_marks_and_marks_session_held(staff_client, module_a, session_a):
    one, two, three = f.EnrolmentFactory.create_batch(3, module=module_a)
    f.AttendanceFactory(enrolment=two, session=session_a, status=Attendance.Status.PRESENT)
    response = staff_client.post(
        reverse("modules:attendance", args=[session_a.pk]),
        {f"mark_{one.pk}": "present", f"mark_{two.pk}": "absent", f"mark_{three.pk}": "excused"},
    )
    assert response.status_code == 302
    marks = dict(session_a.attendances.values_list("enrolment_id", "status"))
    assert marks == {one.pk: "present", two.pk: "absent", three.pk: "excused"}
    session_a.refresh_from_db()
    assert session_a.status == Session.Status.HELD


def test_missing_mark_gives_field_error_and_saves_nothing(staff_client, module_a, session_a):
    one, two = f.EnrolmentFactory.create_batch(2, module=module_a)
    response = staff_client.post(
        reverse("modules:attendance", args=[session_a.pk]), {f"mark_{one.pk}": "present"}
    )
    assert response.status_code == 200
    assert f"mark_{two.pk}" in response.context["form"].errors
    assert not Attendance.objects.exists()
    session_a.refresh_from_db()
    assert session_a.status == Session.Status.PLANNED


def test_foreign_enrolment_in_post_is_refused_and_nothing_saved(staff_client, module_a, session_a):
    own = f.EnrolmentFactory(module=module_a)
    foreign = f.EnrolmentFactory()
    response = staff_client.post(
        reverse("modules:attendance", args=[session_a.pk]),
        {f"mark_{own.pk}": "present", f"mark_{foreign.pk}": "present"},
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Attendance.objects.exists()
    session_a.refresh_from_db()
    assert session_a.status == Session.Status.PLANNED


def test_service_refuses_enrolments_of_another_module(module_a, session_a, staff_a):
    own = f.EnrolmentFactory(module=module_a)
    foreign = f.EnrolmentFactory()
    with pytest.raises(DomainError):
        record_attendance(
            session=session_a, marks={own.pk: "present", foreign.pk: "present"}, by=staff_a
        )
    assert not Attendance.objects.exists()


def test_service_refuses_waitlisted_enrolments(module_a, session_a, staff_a):
    waiting = f.EnrolmentFactory(
        module=module_a, status=Enrolment.Status.WAITLISTED, waitlist_position=1
    )
    with pytest.raises(DomainError):
        record_attendance(session=session_a, marks={waiting.pk: "present"}, by=staff_a)
    assert not Attendance.objects.exists()


def test_service_refuses_unknown_status(module_a, session_a, staff_a):
    own = f.EnrolmentFactory(module=module_a)
    with pytest.raises(DomainError):
        record_attendance(session=session_a, marks={own.pk: "asleep"}, by=staff_a)


def test_cancelled_session_gets_no_attendance(staff_client, module_a, session_a, staff_a):
    own = f.EnrolmentFactory(module=module_a)
    session_a.status = Session.Status.CANCELLED
    session_a.save()
    url = reverse("modules:attendance", args=[session_a.pk])
    assert staff_client.get(url).status_code == 302
    response = staff_client.post(url, {f"mark_{own.pk}": "present"})
    assert response.status_code == 302
    with pytest.raises(DomainError):
        record_attendance(session=session_a, marks={own.pk: "present"}, by=staff_a)
    assert not Attendance.objects.exists()


def test_correcting_marks_updates_rows_without_duplicates(module_a, session_a, staff_a):
    one, two = f.EnrolmentFactory.create_batch(2, module=module_a)
    record_attendance(session=session_a, marks={one.pk: "present", two.pk: "present"}, by=staff_a)
    record_attendance(session=session_a, marks={one.pk: "absent", two.pk: "present"}, by=staff_a)
    assert dict(session_a.attendances.values_list("enrolment_id", "status")) == {
        one.pk: "absent",
        two.pk: "present",
    }


def test_record_attendance_query_count_does_not_grow_with_rows(partnership_a, staff_a):
    def queries_for(n):
        # A module of its own each time: the first session held moves it through the same
        # states, so only the number of rows differs.
        module = f.ModuleFactory(partnership=partnership_a)
        session = f.SessionFactory(module=module)
        enrolments = f.EnrolmentFactory.create_batch(n, module=module)
        marks = {e.pk: "present" for e in enrolments}
        with CaptureQueriesContext(connection) as ctx:
            record_attendance(session=session, marks=marks, by=staff_a)
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(30)


def test_closed_module_attendance_cannot_change(module_a, session_a, staff_a):
    own = f.EnrolmentFactory(module=module_a, status=Enrolment.Status.COMPLETED)
    module_a.status, module_a.enrolment_open = "completed", False
    module_a.save()
    with pytest.raises(DomainError):
        record_attendance(session=session_a, marks={own.pk: "present"}, by=staff_a)
    assert not Attendance.objects.exists()
