"""The manager's home page: this year's and last year's totals with the change."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f


def _held(partnership, day, participants=1, hours=3):
    module = f.ModuleFactory(partnership=partnership)
    session = f.SessionFactory(
        module=module,
        date=day,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(9 + hours, 0),
        status="held",
    )
    for _ in range(participants):
        f.AttendanceFactory(session=session, enrolment=f.EnrolmentFactory(module=module))


@pytest.fixture
def year():
    return datetime.date.today().year


def _figures(response):
    return {fig["name"]: fig for fig in response.context["figures"]}


def test_manager_home_shows_totals_and_change(client, manager, partnership_a, year):
    _held(partnership_a, datetime.date(year, 1, 2), participants=3)
    _held(partnership_a, datetime.date(year - 1, 12, 31), participants=2)
    _held(partnership_a, datetime.date(year - 1, 6, 1), participants=2)
    _held(partnership_a, datetime.date(year - 2, 6, 1), participants=9)  # too old: not shown
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response.status_code == 200
    figures = _figures(response)
    assert (figures["sessions"]["this_year"], figures["sessions"]["last_year"]) == (1, 2)
    assert (figures["sessions"]["change"], figures["sessions"]["change_pct"]) == (-1, -50)
    assert (figures["participants"]["this_year"], figures["participants"]["last_year"]) == (3, 4)
    assert figures["participant_hours"]["this_year"] == 9
    assert figures["participant_hours"]["change_pct"] == -25
    html = response.content.decode()
    assert 'href="/reports/yearly/"' in html
    assert "<td>-1 (-50&nbsp;%)</td>" in html


def test_change_is_empty_without_last_year(client, manager, partnership_a, year):
    _held(partnership_a, datetime.date(year, 3, 3))
    client.force_login(manager)
    figures = _figures(client.get("/"))
    assert figures["modules"]["change"] == 1
    assert figures["modules"]["change_pct"] is None


def test_office_manager_counts_only_their_office(
    client, manager_a, partnership_a, partnership_b, year
):
    _held(partnership_a, datetime.date(year, 2, 2))
    _held(partnership_b, datetime.date(year, 2, 2))
    _held(partnership_b, datetime.date(year, 2, 9))
    client.force_login(manager_a)
    assert _figures(client.get("/"))["sessions"]["this_year"] == 1


def test_manager_home_query_count_does_not_grow(client, manager, partnership_a, year):
    client.force_login(manager)
    _held(partnership_a, datetime.date(year, 1, 5))
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for month in range(1, 11):
        _held(partnership_a, datetime.date(year - 1, month, 5), participants=2)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(few) == len(many)
