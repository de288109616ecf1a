"""The yearly report page at /reports/yearly/: access, filters, table, chart data and exports."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.modules.test_reports_counts import _spread_over_years, build_report_data

URL = "/reports/yearly/"
Y = {"year_from": "2024", "year_to": "2025"}
HEADER = (
    "year;partner_kind;sessions;modules;participants;enrolments;completions;participant_hours;"
    "planned_sessions;planned_modules;planned_participants;realised_pct"
)


@pytest.fixture
def data(office_a, office_b, organisation_a):
    return build_report_data(office_a, office_b, organisation_a)


def _get(client, user, params=None, lang="en"):
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client.get(URL, params or {})


def _csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _page_rows(response):
    """The table as shown: one tuple of cell texts per row."""
    return [
        tuple(
            (row.year, row.label)
            + tuple(
                getattr(row, c)
                for c in (
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
            )
        )
        for row in response.context["table"]
    ]


def test_url_and_name():
    assert reverse("modules:yearly_report") == URL


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_caseworker_gets_403(client, caseworker_a, data):
    assert _get(client, caseworker_a).status_code == 403
    assert _get(client, caseworker_a, {"export": "csv"}).status_code == 403


@pytest.mark.parametrize("who", ["manager", "manager_a", "staff_a", "admin"])
def test_managers_staff_and_admins_see_the_report(client, request, who, data):
    response = _get(client, request.getfixturevalue(who), Y)
    assert response.status_code == 200
    assert b"<h1>Yearly report</h1>" in response.content


def test_page_shows_the_counts_and_definitions(client, manager, data):
    # Names no page text can contain by chance (Faker's surnames depend on the test order).
    Participant = f.ParticipantFactory._meta.model
    for participant in Participant.objects.all():
        Participant.objects.filter(pk=participant.pk).update(last_name=f"Qzxw{participant.pk}")
    response = _get(client, manager, Y)
    html = response.content.decode()
    rows = _page_rows(response)
    assert rows[3] == (2024, "Total", 4, 3, 2, 5, 1, Decimal("9"), 16, 6, 28, Decimal("25"))
    assert "Sessions that were held (not planned or cancelled) that year." in html
    assert "counts under the lead partner" in html
    # No personal data: the participants' names never appear.
    for participant in Participant.objects.all():
        assert participant.last_name not in html


def test_numbers_are_formatted_nl_be(client, manager, office_a, organisation_a):
    partnership = f.PartnershipFactory(office=office_a, lead_partner=organisation_a)
    f.PlanTargetFactory(
        partnership=partnership, year=2024, planned_sessions=3, planned_participants=1234
    )
    module = f.ModuleFactory(partnership=partnership)
    session = f.SessionFactory(
        module=module,
        date=datetime.date(2024, 5, 6),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(9, 30),
        status="held",
    )
    f.AttendanceFactory(session=session, enrolment=f.EnrolmentFactory(module=module))
    html = _get(
        client, manager, {"year_from": "2024", "year_to": "2024", "view": "full"}, lang="nl"
    )
    html = html.content.decode()
    assert "<td>0,50</td>" in html  # half an hour
    assert "<td>1.234</td>" in html  # thousands
    assert "<td>33,3&nbsp;%</td>" in html  # 1 of 3 planned sessions


def test_theme_breakdown_has_no_total_and_says_so(client, manager, data):
    response = _get(client, manager, {**Y, "breakdown": "theme"})
    assert [r[1] for r in _page_rows(response)] == ["Health", "Housing", "Work", "Housing", "Work"]
    assert "theme rows can overlap and there is no total row" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"year_from": "abc"},
        {"year_to": "1900"},
        {"year_from": "2030", "year_to": "2020"},
        {"year_from": "1990", "year_to": "2100"},
        {"office": "999999"},
        {"office": "abc"},
        {"office": "9" * 30},
        {"partner": "9" * 30},
        {"year_to": "9" * 30},
        {"breakdown": "evil"},
        {"partner": "999999"},
        {"theme": "x"},
        {"partner_kind": "<script>"},
        {"language": "zz"},
        {"export": "pdf"},
    ],
)
def test_invalid_filters_give_a_message_and_defaults(client, manager, data, params):
    response = _get(client, manager, params)
    assert response.status_code == 200
    result = response.context["result"]
    this_year = datetime.date.today().year
    if set(params) & {"year_from", "year_to"}:
        assert (result.filters.year_from, result.filters.year_to) == (this_year - 4, this_year)
    if "breakdown" in params:
        assert result.breakdown.name == "partner_kind"
    if "export" not in params:
        assert "were not valid" in response.content.decode()


def test_filters_and_breakdown_come_from_the_url(client, manager, data):
    response = _get(client, manager, {**Y, "breakdown": "office", "partner_kind": "vdab"})
    rows = _page_rows(response)
    assert rows[0][:3] == (2024, "Atlas Antwerpen (test)", 2)
    assert [r[1] for r in rows] == ["Atlas Antwerpen (test)", "Total", "Total"]


def test_staff_of_another_office_never_see_that_office(client, staff_b, data):
    response = _get(client, staff_b, {**Y, "breakdown": "office", "office": data.office_a.pk})
    html = response.content.decode()
    assert "Atlas Antwerpen (test)" not in html
    assert "You see the counts of your own office only." in html
    assert response.context["result"].filters.office_id == data.office_b.pk
    assert _page_rows(response)[0][:3] == (2024, "IN-Gent (test)", 1)
    csv_rows = _csv_rows(_get(client, staff_b, {**Y, "office": data.office_a.pk, "export": "csv"}))
    assert [row[2] for row in csv_rows[1:]] == ["1", "1", "0"]  # CAW, total 2024, total 2025


def test_csv_export_equals_the_page(client, manager, data):
    page = _page_rows(_get(client, manager, Y))
    response = _get(client, manager, {**Y, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="yearly-report-2024-2025-partner_kind.csv"'
    )
    rows = _csv_rows(response)
    assert ";".join(rows[0]) == HEADER

    def parse(value):
        if value == "":
            return None
        return Decimal(value.replace(",", ".")) if "," in value else int(value)

    assert [(int(r[0]), r[1], *map(parse, r[2:])) for r in rows[1:]] == page
    assert rows[1][7] == "2,00"  # hours with a decimal comma, as Belgian Excel reads them


def test_xlsx_export_equals_the_page_and_lists_filters(client, manager, data):
    params = {**Y, "breakdown": "office"}
    page = _page_rows(_get(client, manager, params))
    response = _get(client, manager, {**params, "export": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    table, about = workbook.worksheets
    rows = list(table.iter_rows(values_only=True))
    # Headings in the interface language (machine names stay in the CSV); the realised share
    # as a fraction shown as a percentage (tests/modules/test_report_xlsx.py).
    assert rows[0][:3] == ("Year", "Office", "Sessions")
    as_page = [row[:-1] + (None if row[-1] is None else row[-1] / 100,) for row in page]
    assert [
        tuple(Decimal(str(v)) if isinstance(v, float) else v for v in row) for row in rows[1:]
    ] == as_page
    about_text = list(about.iter_rows(values_only=True))
    assert ("Years", "2024–2025") in about_text
    assert ("Breakdown by", "office") in about_text
    assert any(row[0] == "Participant hours" for row in about_text if row)


def test_exports_neutralise_formula_injection(client, manager, office_a):
    evil = f.PartnerOrganisationFactory(name='=HYPERLINK("http://evil.example","x")')
    minus = f.PartnerOrganisationFactory(name="-2+3")
    for partner in (evil, minus):
        partnership = f.PartnershipFactory(office=office_a, lead_partner=partner)
        f.SessionFactory(
            module=f.ModuleFactory(partnership=partnership),
            date=datetime.date(2024, 2, 1),
            status="held",
        )
    params = {"year_from": "2024", "year_to": "2024", "breakdown": "partner"}
    labels = [row[1] for row in _csv_rows(_get(client, manager, {**params, "export": "csv"}))]
    assert "'-2+3" in labels
    assert '\'=HYPERLINK("http://evil.example","x")' in labels
    response = _get(client, manager, {**params, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert {cell.value for cell in cells} >= {"'-2+3", '\'=HYPERLINK("http://evil.example","x")'}


def test_chart_data_and_no_inline_script(client, manager, data):
    html = _get(client, manager, Y).content.decode()
    match = re.search(
        r'<script id="report-chart-data" type="application/json">(.*?)</script>', html, re.S
    )
    chart = json.loads(match.group(1))
    assert chart["labels"] == ["2024", "2025"]
    assert {"label": "VDAB", "data": [2, 0]} in chart["datasets"]
    assert chart["stacked"] is True
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert "vendor/chart.js/chart.umd.min.js" in html
    assert "js/report-chart.js" in html
    assert 'role="img"' in html and 'id="report-chart"' in html


def test_nav_links_to_the_report(client, manager):
    client.force_login(manager)
    html = client.get("/").content.decode()
    assert f'href="{URL}"' in html


def test_page_query_count_is_the_same_for_one_and_ten_years(
    client, manager, office_a, organisation_a
):
    params = {"year_from": "2017", "year_to": "2026", "breakdown": "partner"}
    client.force_login(manager)
    _spread_over_years(office_a, organisation_a, [2020])
    client.get(URL, params)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as one_year:
        assert client.get(URL, params).status_code == 200
    _spread_over_years(office_a, organisation_a, range(2017, 2027))
    with CaptureQueriesContext(connection) as ten_years:
        response = client.get(URL, params)
    assert len(response.context["table"]) == 20
    assert len(one_year) == len(ten_years)


@pytest.mark.parametrize(
    "breakdown", ["partner_kind", "office", "partner", "theme", "offer_type", "language"]
)
@pytest.mark.parametrize(
    "filter_name", ["offer_type", "language", "theme", "partner_kind", "partner", "office"]
)
def test_every_valid_filter_works_on_the_page_and_in_both_exports(
    client, manager, data, office_a, organisation_a, breakdown, filter_name
):
    from modules.models import Theme

    value = {
        "offer_type": "partial_mo",
        "language": "fr",
        "theme": Theme.objects.order_by("pk").first().pk,
        "partner_kind": "ocmw",
        "partner": organisation_a.pk,
        "office": office_a.pk,
    }[filter_name]
    params = {**Y, "breakdown": breakdown, filter_name: value}
    page = _get(client, manager, params)
    assert page.status_code == 200
    assert not page.context["form"].errors
    for export in ("csv", "xlsx"):
        response = _get(client, manager, {**params, "export": export})
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]


def test_module_level_filters_hide_the_plan(client, manager, data):
    shown = _get(client, manager, {**Y})
    assert any(row.planned_sessions for row in shown.context["table"])
    for params in ({"offer_type": "mo_without_trajectory"}, {"language": "nl"}):
        response = _get(client, manager, {**Y, **params})
        assert response.status_code == 200
        assert all(row.planned_sessions in (None, "") for row in response.context["table"])


def test_by_partner_the_page_shows_fifteen_partners_and_the_chart_twelve(client, manager, office_a):
    """1,300 lead partners at Flanders scale: the page lists 15 at a time (the rest a click
    away, all of them in the exports), a partner with only a plan among them, and the chart
    stacks the 11 with the most sessions and the others as one."""
    from tests.modules.test_reports_counts import _session

    planned_only = f.PartnerOrganisationFactory(name="Lead 00")
    f.PlanTargetFactory(
        partnership=f.PartnershipFactory(office=office_a, lead_partner=planned_only),
        year=2024,
        planned_sessions=7,
    )
    for i in range(1, 21):
        partner = f.PartnerOrganisationFactory(name=f"Lead {i:02d}")
        module = f.ModuleFactory(
            partnership=f.PartnershipFactory(office=office_a, lead_partner=partner)
        )
        enrolment = f.EnrolmentFactory(module=module)
        for day in range(1, i % 4 + 2):
            session = _session(module, datetime.date(2024, 3, day), (9, 0), (12, 0))
            f.AttendanceFactory(enrolment=enrolment, session=session)
    params = {"year_from": "2024", "year_to": "2024", "breakdown": "partner", "view": "full"}
    first = _get(client, manager, params)
    second = _get(client, manager, {**params, "page": "2"})
    rows = [[row for row in r.context["table"] if not row.is_total] for r in (first, second)]
    assert [[row.label for row in page] for page in rows] == [
        [f"Lead {i:02d}" for i in range(0, 15)],
        [f"Lead {i:02d}" for i in range(15, 21)],
    ]
    assert (rows[0][0].sessions, rows[0][0].planned_sessions) == (0, 7)
    assert all(row.participants == 1 and row.planned_sessions == 0 for row in rows[1])
    assert "Lead 16" not in first.content.decode() and "Lead 16" in second.content.decode()
    assert "21 rows in all" in first.content.decode()
    total = second.context["table"][-1]
    assert total.is_total and total.participants == 20 and total.planned_sessions == 7
    assert total.sessions == sum(i % 4 + 1 for i in range(1, 21))
    export = _csv_rows(_get(client, manager, {**params, "export": "csv"}))
    assert len(export) == 1 + 21 + 1  # header, every partner, the total
    chart = first.context["chart_data"]
    assert len(chart["datasets"]) == 12
    assert chart["datasets"][-1]["label"] == "Other (9)"
    assert sum(sum(d["data"]) for d in chart["datasets"]) == total.sessions
    # The 11 kept are the partners with the most sessions (4: i % 4 == 3, then 3).
    kept = {d["label"] for d in chart["datasets"][:-1]}
    assert {f"Lead {i:02d}" for i in range(1, 21) if i % 4 == 3} <= kept
