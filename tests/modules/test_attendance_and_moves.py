"""Attendance starts from "everyone present"; moving a session onto a closed day (weekend or
Belgian public holiday) warns and needs a confirmation."""

import datetime

import pytest
from django.urls import reverse

from modules.models import Attendance, Session
from modules.services import DomainError, closed_day, move_session
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, capacity=10)


@pytest.fixture
def enrolments(module):
    return [f.EnrolmentFactory(module=module) for _ in range(3)]


def test_everyone_present_prefills_the_form_and_the_absent_are_changed(
    client, staff_a, module, enrolments, today
):
    session = f.SessionFactory(module=module, date=today)
    client.force_login(staff_a)
    url = reverse("modules:attendance", args=[session.pk])
    plain = client.get(url)
    assert 'href="?all=present"' in plain.text
    assert 'value="present" checked' not in plain.text.replace('checked=""', "checked")
    filled = client.get(url, {"all": "present"})
    form = filled.context["form"]
    assert [form[name].initial for _, name in form.rows] == ["present"] * 3
    assert filled.text.count("checked") >= 3
    # The user changes one to absent and saves: that is what is recorded.
    data = {name: "present" for _, name in form.rows}
    absent = form.rows[1][0]
    data[f"mark_{absent.pk}"] = "absent"
    assert client.post(url, data).status_code == 302
    recorded = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert recorded[absent.pk] == "absent"
    assert sorted(recorded.values()) == ["absent", "present", "present"]


def test_closed_days_are_the_series_planners_holidays_and_the_weekend():
    assert closed_day(datetime.date(2026, 12, 25))  # Christmas
    assert closed_day(datetime.date(2027, 7, 11))  # the Flemish Community's day
    assert closed_day(datetime.date(2026, 12, 12))  # a Saturday
    assert closed_day(datetime.date(2026, 12, 13))  # a Sunday
    assert closed_day(datetime.date(2026, 12, 14)) is None  # a Monday


@pytest.fixture
def session(module):
    return f.SessionFactory(module=module, date=datetime.date(2026, 12, 16))


@pytest.mark.parametrize("day", ["2026-12-25", "2026-12-12"])
def test_moving_onto_a_closed_day_warns_and_needs_a_confirmation(client, staff_a, session, day):
    client.force_login(staff_a)
    url = reverse("modules:session_move", args=[session.pk])
    data = {"date": day, "start_time": "09:00", "end_time": "12:00"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "gesloten" in response.text
    assert 'type="checkbox" name="confirm_closed_day"' in response.text
    session.refresh_from_db()
    assert session.date == datetime.date(2026, 12, 16)
    response = client.post(url, {**data, "confirm_closed_day": "on"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == datetime.date.fromisoformat(day)


def test_the_move_service_refuses_a_closed_day_without_confirmation(staff_a, session):
    christmas = datetime.date(2026, 12, 25)
    times = {"start_time": datetime.time(9), "end_time": datetime.time(12)}
    with pytest.raises(DomainError):
        move_session(session=session, date=christmas, by=staff_a, **times)
    assert Session.objects.get(pk=session.pk).date == datetime.date(2026, 12, 16)
    move_session(session=session, date=christmas, by=staff_a, confirm_closed_day=True, **times)
    assert Session.objects.get(pk=session.pk).date == christmas


def test_moving_onto_a_working_day_needs_no_confirmation(client, staff_a, session):
    client.force_login(staff_a)
    url = reverse("modules:session_move", args=[session.pk])
    page = client.get(url).text
    assert 'type="checkbox" name="confirm_closed_day"' not in page
    response = client.post(url, {"date": "2026-12-17", "start_time": "09:00", "end_time": "12:00"})
    assert response.status_code == 302
