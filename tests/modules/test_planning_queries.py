"""Planning pages run a fixed number of queries, whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Attendance, Enrolment, Session
from tests import factories as f

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def make_modules(partnership, n):
    theme = f.ThemeFactory()
    for i in range(n):
        module = f.ModuleFactory(partnership=partnership, themes=[theme])
        f.SessionFactory(module=module, date=datetime.date(2026, 1, 5 + i % 20))
        f.EnrolmentFactory(module=module)


def test_module_list_query_count_is_fixed(client, db):
    # Two offices, each with its own staff member: one with 3 modules, one with 30.
    counts = []
    for n, name in ((3, "few"), (30, "many")):
        office = f.OfficeFactory()
        staff = f.UserFactory(username=f"staff_{name}")
        f.MembershipFactory(user=staff, role="staff", office=office)
        make_modules(f.PartnershipFactory(office=office), n)
        client.force_login(staff)
        counts.append(count_queries(client, reverse("modules:module_list") + "?status=open"))
        client.logout()
    assert counts[0] == counts[1]


def make_detail(partnership, n):
    theme = f.ThemeFactory()
    module = f.ModuleFactory(partnership=partnership, themes=[theme], capacity=40)
    module.objectives.set(f.ObjectiveFactory.create_batch(2))
    for i in range(n):
        session = f.SessionFactory(module=module, date=datetime.date(2026, 1, 1 + i % 28))
        f.EnrolmentFactory(module=module)
        f.EnrolmentFactory(
            module=module, status=Enrolment.Status.WAITLISTED, waitlist_position=i + 1
        )
        f.EnrolmentFactory(module=module, status=Enrolment.Status.COMPLETED)
        f.EvaluationFactory(partnership=None, module=module)
        session.topic = f"Topic {i}"
        session.save()
    return module


def test_module_detail_query_count_is_fixed(staff_client, partnership_a):
    few = make_detail(partnership_a, 3)
    many = make_detail(partnership_a, 30)
    assert count_queries(staff_client, reverse("modules:module_detail", args=[few.pk])) == (
        count_queries(staff_client, reverse("modules:module_detail", args=[many.pk]))
    )


def make_session(partnership, n):
    module = f.ModuleFactory(partnership=partnership, capacity=40)
    session = f.SessionFactory(module=module, status=Session.Status.HELD)
    for enrolment in f.EnrolmentFactory.create_batch(n, module=module):
        f.AttendanceFactory(enrolment=enrolment, session=session, status=Attendance.Status.ABSENT)
    return session


def test_attendance_page_query_count_is_fixed(staff_client, partnership_a):
    few = make_session(partnership_a, 3)
    many = make_session(partnership_a, 30)
    assert count_queries(staff_client, reverse("modules:attendance", args=[few.pk])) == (
        count_queries(staff_client, reverse("modules:attendance", args=[many.pk]))
    )


def test_certificate_query_count_is_fixed(staff_client, partnership_a):
    def completed_with_sessions(n):
        module = f.ModuleFactory(partnership=partnership_a)
        enrolment = f.EnrolmentFactory(module=module, status=Enrolment.Status.COMPLETED)
        for i in range(n):
            session = f.SessionFactory(
                module=module, date=datetime.date(2026, 2, 1 + i % 28), status="held"
            )
            f.AttendanceFactory(enrolment=enrolment, session=session)
        return enrolment

    few, many = completed_with_sessions(3), completed_with_sessions(30)
    assert count_queries(staff_client, reverse("modules:certificate", args=[few.pk])) == (
        count_queries(staff_client, reverse("modules:certificate", args=[many.pk]))
    )
