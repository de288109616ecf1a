"""The printable attendance sheet (issue 11): per session and per module (sessions as
columns), with a signature column, the module's data and the agency's name; scoped like the
attendance page, and without the web form's buttons and radio buttons."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Enrolment, Session
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_a(partnership_a):
    module = f.ModuleFactory(partnership=partnership_a, title="Wonen in Gent", location="Zaal 3")
    for day in (2, 9, 16, 23, 30):
        f.SessionFactory(module=module, date=datetime.date(2026, 3, day))
    f.SessionFactory(module=module, date=datetime.date(2026, 4, 6), status=Session.Status.CANCELLED)
    return module


@pytest.fixture
def people(module_a):
    enrolled = f.EnrolmentFactory(
        module=module_a, participant__first_name="Amina", participant__last_name="Zeroual"
    )
    waiting = f.EnrolmentFactory(
        module=module_a,
        participant__first_name="Boris",
        participant__last_name="Wachter",
        status=Enrolment.Status.WAITLISTED,
        waitlist_position=1,
    )
    return enrolled, waiting


def test_module_sheet_has_every_session_a_signature_column_and_the_agency(
    client, staff_a, module_a, people
):
    client.force_login(staff_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("modules:module_sheet", args=[module_a.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zeroual, Amina" in page
    assert "Wachter" not in page  # the waiting list does not sign
    assert "Aanwezigheidslijst" in page and "Handtekening" in page
    assert module_a.partnership.office.get_agency_display() in page
    assert "Wonen in Gent" in page and "Zaal 3" in page
    for day in ("02/03", "09/03", "16/03", "23/03", "30/03"):
        assert f">{day}</th>" in page
    assert "06/04" not in page  # cancelled
    assert 'name="mark_' not in page  # no radio buttons of the web form
    assert "attendance-sheet-wide" in page  # five sessions: landscape
    assert len(queries) <= 12, [q["sql"] for q in queries.captured_queries]


def test_session_sheet_lists_the_session_and_is_linked_from_the_attendance_page(
    client, staff_a, module_a, people
):
    client.force_login(staff_a)
    session = module_a.sessions.order_by("date").first()
    attendance = client.get(reverse("modules:attendance", args=[session.pk])).content.decode()
    assert reverse("modules:session_sheet", args=[session.pk]) in attendance
    detail = client.get(reverse("modules:module_detail", args=[module_a.pk])).content.decode()
    assert reverse("modules:module_sheet", args=[module_a.pk]) in detail
    response = client.get(reverse("modules:session_sheet", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Zeroual, Amina" in page and "Handtekening" in page
    assert "maandag 2 maart 2026" in page


def test_another_office_gets_404_and_sees_no_names(client, staff_b, caseworker_a, module_a, people):
    session = module_a.sessions.first()
    for user in (staff_b, caseworker_a):
        client.force_login(user)
        for url in (
            reverse("modules:module_sheet", args=[module_a.pk]),
            reverse("modules:session_sheet", args=[session.pk]),
        ):
            response = client.get(url)
            assert response.status_code in (403, 404), (user, url)
            assert "Zeroual" not in response.content.decode()
