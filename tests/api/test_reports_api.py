"""Yearly counts through the API: the same numbers and filters as /reports/yearly/."""

import csv
import io
from decimal import Decimal

import pytest

from tests.api.utils import token_client
from tests.modules.test_reports_counts import build_report_data

URL = "/api/v1/reports/yearly/"
PAGE = "/reports/yearly/"
COLUMNS = (
    "sessions",
    "modules",
    "participants",
    "enrolments",
    "completions",
    "participant_hours",
    "planned_sessions",
    "planned_modules",
    "planned_participants",
    "realised_pct",
)


@pytest.fixture
def data(office_a, office_b, organisation_a):
    return build_report_data(office_a, office_b, organisation_a)


def page_csv(client, user, params) -> list[tuple]:
    client.force_login(user)
    response = client.get(PAGE, {**params, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    return [
        (int(row[0]), *(Decimal(v.replace(",", ".")) if v else None for v in row[2:]))
        for row in rows[1:]
    ]


def api_rows(user, params) -> list[tuple]:
    response = token_client(user).get(URL, params)
    assert response.status_code == 200, response.json()
    return [
        (
            row["year"],
            *(None if row[c] is None else Decimal(str(row[c])) for c in COLUMNS),
        )
        for row in response.json()["rows"]
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"year_from": "2024", "year_to": "2025"},
        {"year_from": "2024", "year_to": "2025", "breakdown": "office"},
        {"year_from": "2024", "year_to": "2025", "breakdown": "theme"},
        {"year_from": "2024", "year_to": "2025", "offer_type": "partial_mo"},
        {"year_from": "2023", "year_to": "2025", "partner_kind": "ocmw", "breakdown": "language"},
    ],
)
def test_the_api_gives_the_numbers_of_the_pages_export(client, manager, data, params):
    assert api_rows(manager, params) == page_csv(client, manager, params)
    assert any(row[1] for row in api_rows(manager, params)), "the data set counts something"


def test_staff_get_their_offices_numbers_as_on_the_page(client, staff_a, data):
    params = {"year_from": "2024", "year_to": "2025", "breakdown": "office"}

    assert api_rows(staff_a, params) == page_csv(client, staff_a, params)


def test_the_answer_names_its_filters_and_breakdown(manager, data):
    body = (
        token_client(manager, language="en")
        .get(URL, {"year_from": "2024", "year_to": "2025", "breakdown": "theme"})
        .json()
    )

    assert (body["breakdown"], body["year_from"], body["year_to"]) == ("theme", 2024, 2025)
    assert {"name": "Years", "value": "2024–2025"} in body["filters"]
    assert any("overlap" in note for note in body["notes"])
    assert not any(row["is_total"] for row in body["rows"])  # themes overlap: no total


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year_from": "2025", "year_to": "2024"}, "year_to"),
        ({"year_from": "1800"}, "year_from"),
        ({"breakdown": "nonsense"}, "breakdown"),
        ({"theme": "abc"}, "theme"),
        ({"year_from": "2000", "year_to": "2050"}, "year_to"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(manager, params, field):
    response = token_client(manager, language="en").get(URL, params)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_caseworkers_get_no_counts(caseworker_a):
    assert token_client(caseworker_a).get(URL).status_code == 403
