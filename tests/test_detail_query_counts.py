"""Detail pages run a fixed number of queries, however many related rows they show."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Module
from tests import factories as f


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_offer_request_detail_query_count_does_not_grow(client, staff_a, office_a):
    def request_with(themes: int):
        offer_request = f.OfferRequestFactory(office=office_a)
        offer_request.themes.set([f.ThemeFactory() for _ in range(themes)])
        return reverse("modules:offer_request_detail", args=[offer_request.pk])

    client.force_login(staff_a)
    few, many = request_with(2), request_with(20)
    _queries(client, few)  # warm caches (content types, session)
    assert _queries(client, few) == _queries(client, many)


def test_open_module_detail_query_count_does_not_grow(
    client, caseworker_a, organisation_a, partnership_a
):
    def module_with(sessions: int, clients: int):
        module = f.ModuleFactory(partnership=partnership_a, status=Module.Status.OPEN)
        module.themes.set([f.ThemeFactory() for _ in range(3)])
        for day in range(sessions):
            f.SessionFactory(module=module, date=datetime.date(2027, 1, 4 + day))
        for _ in range(clients):
            f.ParticipantFactory(organisation=organisation_a, caseworker=caseworker_a)
        return reverse("modules:open_module_detail", args=[module.pk])

    client.force_login(caseworker_a)
    few = module_with(sessions=2, clients=2)
    many = module_with(sessions=20, clients=20)
    _queries(client, few)
    assert _queries(client, few) == _queries(client, many)


def test_partnership_detail_marks_the_lead_partner(client, staff_a, office_a, organisation_a):
    other = f.PartnerOrganisationFactory(name="CAW Test")
    partnership = f.PartnershipFactory(
        office=office_a, lead_partner=organisation_a, partners=[other]
    )
    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partnership_detail", args=[partnership.pk]))
    html = response.content.decode()
    assert "CAW Test" in html
    lead_row = html[html.index(organisation_a.name) : html.index(organisation_a.name) + 300]
    assert "hoofdpartner" in lead_row.lower()
