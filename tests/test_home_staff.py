"""The staff home page: this week's sessions, open requests, open modules with free places,
agreements ending within 60 days, modules without a teacher; fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from modules.queries import week_bounds
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_week_bounds_run_monday_to_sunday():
    assert week_bounds(datetime.date(2026, 11, 29)) == (
        datetime.date(2026, 11, 23),
        datetime.date(2026, 11, 29),
    )
    assert week_bounds(datetime.date(2026, 11, 30)) == (
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 6),
    )


def test_staff_home_shows_the_office_overview(
    client, staff_a, office_a, partnership_a, partnership_b
):
    today = timezone.localdate()
    monday, sunday = week_bounds(today)
    module = f.ModuleFactory(partnership=partnership_a, title="Deze week", teacher="Mevr. X")
    f.SessionFactory(module=module, date=monday)
    f.SessionFactory(module=module, date=sunday)
    f.SessionFactory(module=module, date=monday - datetime.timedelta(days=1))  # last week
    f.SessionFactory(module=f.ModuleFactory(partnership=partnership_b), date=monday)

    capacity = f.ModuleFactory(
        partnership=partnership_a, title="Bijna vol", capacity=5, teacher="Y"
    )
    for status in ("enrolled", "enrolled", "completed", "withdrawn"):
        f.EnrolmentFactory(module=capacity, status=status)
    f.ModuleFactory(partnership=partnership_a, title="Gesloten", status="planned", teacher="Z")

    f.ModuleFactory(partnership=partnership_a, title="Zonder lesgever", status="planned")
    f.ModuleFactory(
        partnership=partnership_a,
        title="Geannuleerd zonder",
        status="cancelled",
        enrolment_open=False,
    )

    f.OfferRequestFactory(office=office_a, title="Nieuwe vraag")
    f.OfferRequestFactory(office=office_a, title="In behandeling", status="under_review")
    f.OfferRequestFactory(
        office=office_a, title="Afgewezen vraag", status="declined", decline_reason="x"
    )
    f.OfferRequestFactory(office=partnership_b.office, title="Andere kantoor vraag")

    f.PartnershipFactory(
        office=office_a, title="Loopt bijna af", end_date=today + datetime.timedelta(days=60)
    )
    f.PartnershipFactory(
        office=office_a, title="Loopt later af", end_date=today + datetime.timedelta(days=61)
    )
    f.PartnershipFactory(
        office=office_a,
        title="Al gestopt",
        status="cancelled",
        end_date=today + datetime.timedelta(days=5),
    )

    client.force_login(staff_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    context = response.context
    assert [s.date for s in context["week_sessions"]] == [monday, sunday]
    assert {r.title for r in context["open_requests"]} == {"Nieuwe vraag", "In behandeling"}
    free = {m.title: m.free_places for m in context["open_modules"]}
    assert free["Bijna vol"] == 2  # capacity 5 - (2 enrolled + 1 completed)
    assert "Gesloten" not in free
    assert [p.title for p in context["ending_partnerships"]] == ["Loopt bijna af"]
    assert {m.title for m in context["modules_without_teacher"]} == {"Zonder lesgever"}
    assert "Andere kantoor vraag" not in response.text


def test_staff_home_same_query_count_for_3_and_30_rows(client, staff_a, office_a, partnership_a):
    today = timezone.localdate()
    monday, _ = week_bounds(today)
    client.force_login(staff_a)
    counts = []
    for rows in (3, 27):
        for n in range(rows):
            module = f.ModuleFactory(partnership=partnership_a)
            f.SessionFactory(module=module, date=monday + datetime.timedelta(days=n % 7))
            f.EnrolmentFactory(module=module)
            f.OfferRequestFactory(office=office_a)
            f.PartnershipFactory(office=office_a, end_date=today + datetime.timedelta(days=10))
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("home"))
        # Bounded (issue 10): at most 10 rows per list, then a link to the whole list.
        assert len(response.context["week_sessions"]) == (3 if rows == 3 else 10)
        page = response.content.decode()
        assert ("All running modules" in page or "Alle lopende modules" in page) == (rows != 3)
        assert ("All agreements" in page or "Alle samenwerkingsovereenkomsten" in page) == (
            rows != 3
        )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_staff_lands_on_staff_home_after_login(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "home_staff.html" in [t.name for t in response.templates]


def test_staff_home_lists_only_modules_that_accept_enrolments(client, staff_a, partnership_a):
    from modules.models import Module

    f.ModuleFactory(partnership=partnership_a, title="Nog gepland", status=Module.Status.PLANNED)
    f.ModuleFactory(partnership=partnership_a, title="Open reeks", status=Module.Status.OPEN)
    client.force_login(staff_a)
    modules = list(client.get("/").context["open_modules"])
    assert [m.title for m in modules] == ["Open reeks"]
