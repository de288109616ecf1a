"""The yearly report at a glance (issue 13): headline figures for the last year against the
year before, one measure at a time with the years as columns, the full table one click away,
one page of breakdown rows on screen (all of them in the exports), and a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.modules.test_reports_counts import build_report_data

pytestmark = pytest.mark.django_db

URL = "/reports/yearly/"
Y = {"year_from": "2024", "year_to": "2025"}


@pytest.fixture
def data(office_a, office_b, organisation_a):
    return build_report_data(office_a, office_b, organisation_a)


def _get(client, user, params, lang="nl"):
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client.get(URL, params)


def test_headline_shows_the_last_year_against_the_year_before(client, manager, data):
    response = _get(client, manager, Y)
    html = response.content.decode()
    totals = response.context["result"].totals
    figures = {f["column"]: f for f in response.context["headline"]["figures"]}
    assert figures["sessions"]["value"] == totals[2025].sessions
    assert figures["participants"]["value"] == totals[2025].participants
    assert figures["realised_pct"]["value"] == totals[2025].realised_pct
    assert "2025 tegenover 2024" in html
    before, now = totals[2024].sessions, totals[2025].sessions
    if before:
        assert figures["sessions"]["change"] == round((now - before) * 100 / before)
    # The headline comes before the filters and the table in the page.
    assert html.index('id="headline-heading"') < html.index('role="search"')
    assert html.index('id="headline-heading"') < html.index("<table")


def test_one_year_report_compares_with_the_year_before_it(client, manager, data):
    response = _get(client, manager, {"year_from": "2025", "year_to": "2025"})
    figures = {f["column"]: f for f in response.context["headline"]["figures"]}
    assert response.context["headline"]["before"] == 2024
    assert figures["sessions"]["change"] is not None or figures["sessions"]["value"] == 0


def test_one_measure_with_years_as_columns_and_the_full_table_one_click_away(client, manager, data):
    html = _get(client, manager, {**Y, "measure": "participant_hours"}).content.decode()
    assert "Deelnemersuren per jaar, per soort partner" in html
    assert '<th scope="col">2024</th><th scope="col">2025</th>' in html
    assert "Gerealiseerd (%)</th>" not in html  # the wide table is not on this view
    assert "view=full" in html
    full = _get(client, manager, {**Y, "view": "full"}).content.decode()
    assert "Gerealiseerd (%)</th>" in full


def test_report_by_partner_shows_one_page_of_rows_and_exports_all(
    client, manager, office_a, organisation_a
):
    import datetime

    for n in range(20):
        partner = f.PartnerOrganisationFactory(name=f"Partner {n:02d}")
        module = f.ModuleFactory(
            partnership=f.PartnershipFactory(office=office_a, lead_partner=partner)
        )
        f.SessionFactory(module=module, date=datetime.date(2025, 3, 3), status="held")
    params = {**Y, "breakdown": "partner"}
    response = _get(client, manager, params)
    html = response.content.decode()
    table = html.split("<table")[1].split("</table>")[0]
    assert len(response.context["measure_table"]["rows"]) == 15
    assert "Partner 00" in table and "Partner 14" in table and "Partner 15" not in table
    assert "page=2" in html and "20 rijen in totaal" in html
    second = _get(client, manager, {**params, "page": "2"}).content.decode()
    second = second.split("<table")[1].split("</table>")[0]
    assert "Partner 15" in second and "Partner 19" in second and "Partner 00" not in second
    csv = _get(client, manager, {**params, "export": "csv"}).content.decode()
    assert all(f"Partner {n:02d}" in csv for n in range(20))
    assert _get(client, manager, {**params, "page": "x"}).status_code == 200


@pytest.mark.parametrize(
    "params, most",
    [
        (Y, 14),  # the result's own totals serve the headline and the chart
        ({**Y, "breakdown": "theme"}, 18),  # themes have no total row: one more yearly_counts
        ({"year_from": "2025", "year_to": "2025"}, 18),  # the year before is not in the range
    ],
)
def test_report_page_query_count(client, manager, data, params, most):
    client.force_login(manager)
    client.get(URL, params)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    assert len(queries) <= most, "\n".join(q["sql"][:120] for q in queries.captured_queries)
