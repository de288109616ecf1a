"""The session-series generator: weekly and fortnightly, holidays skipped, preview then save."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from modules.forms.planning import SessionSeriesForm
from modules.models import Module, Session
from modules.services import DomainError, SessionRule, generate_sessions, plan_session_dates
from tests import factories as f

D = datetime.date
NINE, NOON = datetime.time(9, 0), datetime.time(12, 0)


def rule(**kwargs) -> SessionRule:
    defaults = {"weekday": 0, "start_time": NINE, "end_time": NOON}
    return SessionRule(**{**defaults, **kwargs})


def test_weekly_series_skips_easter_monday_and_keeps_the_count():
    with translation.override("en"):
        dates, skipped = plan_session_dates(rule(start_date=D(2025, 4, 7), count=4))
    assert dates == [D(2025, 4, 7), D(2025, 4, 14), D(2025, 4, 28), D(2025, 5, 5)]
    assert skipped == [(D(2025, 4, 21), "Easter Monday")]


def test_holiday_names_follow_the_language():
    with translation.override("nl"):
        _dates, skipped = plan_session_dates(rule(start_date=D(2025, 4, 21), count=1))
    assert skipped == [(D(2025, 4, 21), "Paasmaandag")]


def test_fortnightly_series_until_end_date():
    dates, skipped = plan_session_dates(
        rule(weekday=2, start_date=D(2026, 1, 1), end_date=D(2026, 2, 28), interval_weeks=2)
    )
    # The first Wednesday on or after the start date, then every other Wednesday.
    assert dates == [D(2026, 1, 7), D(2026, 1, 21), D(2026, 2, 4), D(2026, 2, 18)]
    assert skipped == []


def test_eleventh_of_july_is_skipped_as_flemish_holiday():
    # 11 July 2025 is a Friday; it is not in the national list of holidays.Belgium.
    with translation.override("en"):
        dates, skipped = plan_session_dates(
            rule(weekday=4, start_date=D(2025, 7, 4), end_date=D(2025, 7, 25))
        )
    assert dates == [D(2025, 7, 4), D(2025, 7, 18), D(2025, 7, 25)]
    assert skipped == [(D(2025, 7, 11), "Day of the Flemish Community")]


def test_end_date_is_inclusive_and_count_versus_end_date_agree():
    by_count, _ = plan_session_dates(rule(start_date=D(2026, 3, 2), count=3))
    by_end, _ = plan_session_dates(rule(start_date=D(2026, 3, 2), end_date=D(2026, 3, 16)))
    assert by_count == by_end == [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"count": 0},
        {"count": None, "end_date": None},
        {"count": 3, "end_date": D(2026, 5, 1)},
        {"count": None, "end_date": D(2025, 1, 1)},
        {"count": 3, "interval_weeks": 3},
        {"count": 60, "start_date": D(9999, 12, 20)},
    ],
)
def test_invalid_rules_are_refused(kwargs):
    with pytest.raises(DomainError):
        plan_session_dates(rule(**{"start_date": D(2026, 3, 2), **kwargs}))


@pytest.mark.django_db
def test_generate_sessions_creates_all_dates_in_one_go():
    module = f.ModuleFactory(location="Lokaal 3")
    created = generate_sessions(
        module=module, rule=rule(start_date=D(2025, 4, 14), count=3, topic="Wonen")
    )
    assert len(created) == 3
    assert list(module.sessions.values_list("date", flat=True)) == [
        D(2025, 4, 14),
        D(2025, 4, 28),
        D(2025, 5, 5),
    ]
    assert set(module.sessions.values_list("topic", flat=True)) == {"Wonen"}


@pytest.mark.django_db
def test_generate_sessions_refused_for_cancelled_module():
    module = f.ModuleFactory(status=Module.Status.CANCELLED)
    with pytest.raises(DomainError):
        generate_sessions(module=module, rule=rule(start_date=D(2025, 4, 14), count=3))
    assert not Session.objects.exists()


# --- the form ---------------------------------------------------------------------------


def series_data(**changes):
    data = {
        "weekday": "0",
        "start_time": "09:00",
        "end_time": "12:00",
        "start_date": "2025-04-07",
        "count": "4",
        "end_date": "",
        "interval_weeks": "1",
        "location": "",
        "topic": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"count": "0"}, "count"),
        ({"count": "", "end_date": ""}, "count"),
        ({"count": "", "end_date": "2025-04-01"}, "end_date"),
        ({"count": "3", "end_date": "2025-05-01"}, "end_date"),
        ({"end_time": "08:00"}, "end_time"),
        ({"weekday": "9"}, "weekday"),
        ({"interval_weeks": "3"}, "interval_weeks"),
        ({"start_date": "gisteren"}, "start_date"),
        ({"count": "", "end_date": "2030-01-01"}, "end_date"),
        ({"start_date": "9999-12-20", "count": "60"}, "start_date"),
        ({"start_date": "9999-12-01", "count": "", "end_date": "9999-12-31"}, "start_date"),
    ],
)
def test_series_form_gives_field_errors_for_bad_input(changes, field):
    form = SessionSeriesForm(series_data(**changes))
    assert not form.is_valid()
    assert field in form.errors


# --- the two-step view ------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def module_a(partnership_a):
    return f.ModuleFactory(partnership=partnership_a)


def test_series_page_renders(staff_client, module_a):
    response = staff_client.get(reverse("modules:session_generate", args=[module_a.pk]))
    assert response.status_code == 200


def test_first_submit_previews_dates_and_skipped_holidays_without_saving(staff_client, module_a):
    url = reverse("modules:session_generate", args=[module_a.pk])
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(url, series_data())
    assert response.status_code == 200
    assert response.context["dates"] == [
        D(2025, 4, 7),
        D(2025, 4, 14),
        D(2025, 4, 28),
        D(2025, 5, 5),
    ]
    content = response.content.decode()
    assert "Paasmaandag" in content or "Easter Monday" in content
    assert 'name="confirm"' in content
    assert 'type="hidden" name="start_date" value="2025-04-07"' in content
    assert not module_a.sessions.exists()


def test_preview_lists_eleventh_of_july(staff_client, module_a):
    url = reverse("modules:session_generate", args=[module_a.pk])
    response = staff_client.post(url, series_data(weekday="4", start_date="2025-07-04", count="3"))
    assert D(2025, 7, 11) in [day for day, _name in response.context["skipped"]]
    assert "11 juli 2025" in response.content.decode() or "11 July 2025" in (
        response.content.decode()
    )


def test_confirm_creates_the_previewed_sessions(staff_client, module_a):
    url = reverse("modules:session_generate", args=[module_a.pk])
    preview = staff_client.post(url, series_data(interval_weeks="2"))
    response = staff_client.post(url, {**series_data(interval_weeks="2"), "confirm": "1"})
    assert response.status_code == 302
    dates = list(module_a.sessions.values_list("date", flat=True))
    assert dates == preview.context["dates"]
    assert dates == [D(2025, 4, 7), D(2025, 5, 5), D(2025, 5, 19), D(2025, 6, 2)]


def test_change_button_returns_to_the_form(staff_client, module_a):
    url = reverse("modules:session_generate", args=[module_a.pk])
    response = staff_client.post(url, {**series_data(), "edit": "1"})
    assert response.status_code == 200
    assert "dates" not in response.context
    assert response.context["form"]["count"].value() == "4"


def test_invalid_series_shows_form_errors_and_saves_nothing(staff_client, module_a):
    url = reverse("modules:session_generate", args=[module_a.pk])
    response = staff_client.post(url, {**series_data(count="0"), "confirm": "1"})
    assert response.status_code == 200
    assert "count" in response.context["form"].errors
    assert not module_a.sessions.exists()
