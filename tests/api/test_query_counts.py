"""Every API list and detail reads in a fixed number of queries, however many rows it has."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests import factories as f

STAFF_URLS = [
    "/api/v1/modules/",
    "/api/v1/sessions/",
    "/api/v1/clients/",
    "/api/v1/enrolments/",
    "/api/v1/partners/",
    "/api/v1/agreements/",
    "/api/v1/plan-targets/",
]
CASEWORKER_URLS = ["/api/v1/open-modules/", "/api/v1/clients/", "/api/v1/enrolments/"]


def add_rows(partnership, organisation, caseworker, n: int, year: int) -> None:
    theme = f.ThemeFactory()
    for i in range(n):
        module = f.ModuleFactory(partnership=partnership, themes=[theme])
        f.SessionFactory(module=module, date=datetime.date(2026, 12, 1 + i))
        client = f.ParticipantFactory(organisation=organisation, caseworker=caseworker)
        f.EnrolmentFactory(participant=client, module=module)
        f.ContactPersonFactory(organisation=f.PartnerOrganisationFactory())
        other = f.PartnershipFactory(
            office=partnership.office,
            lead_partner=organisation,
            partners=[f.PartnerOrganisationFactory()],
        )
        f.PlanTargetFactory(partnership=other, year=year + i)


def count_queries(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize(
    ("actor", "urls"), [("staff_a", STAFF_URLS), ("caseworker_a", CASEWORKER_URLS)]
)
def test_lists_and_details_need_no_more_queries_for_more_rows(
    request, actor, urls, partnership_a, organisation_a, caseworker_a
):
    user = request.getfixturevalue(actor)
    api = APIClient()
    api.force_authenticate(user)
    add_rows(partnership_a, organisation_a, caseworker_a, 2, 2030)
    few = {url: count_queries(api, url) for url in urls}
    first_ids = {url: api.get(url).json()["results"][0]["id"] for url in urls}
    few_detail = {url: count_queries(api, f"{url}{first_ids[url]}/") for url in urls}

    add_rows(partnership_a, organisation_a, caseworker_a, 8, 2040)
    many = {url: count_queries(api, url) for url in urls}
    many_detail = {url: count_queries(api, f"{url}{first_ids[url]}/") for url in urls}

    assert many == few
    assert many_detail == few_detail
    assert max(many.values()) <= 8
