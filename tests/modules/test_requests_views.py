"""Offer requests: list with filters, create on a partner's behalf, review, plan, decline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import OfferRequest
from modules.services import DomainError, decline_offer_request, plan_offer_request
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_a(office_a, organisation_a):
    return f.OfferRequestFactory(office=office_a, partner=organisation_a, title="MO wonen")


@pytest.fixture
def request_b(office_b, organisation_b):
    return f.OfferRequestFactory(office=office_b, partner=organisation_b, title="MO Gent")


# --- list ------------------------------------------------------------------------------


def test_request_list_shows_only_own_office(client, staff_a, request_a, request_b):
    client.force_login(staff_a)
    response = client.get(reverse("modules:offer_request_list"))
    assert response.status_code == 200
    assert "MO wonen" in response.text
    assert "MO Gent" not in response.text


def test_request_list_filters_status_partner_theme(client, staff_a, office_a, organisation_a):
    housing = f.ThemeFactory(name="Wonen")
    other_partner = f.PartnerOrganisationFactory()
    with_theme = f.OfferRequestFactory(office=office_a, partner=organisation_a, title="Thema")
    with_theme.themes.add(housing)
    declined = f.OfferRequestFactory(
        office=office_a,
        partner=other_partner,
        title="Afgewezen",
        status="declined",
        decline_reason="Geen lesgever",
    )
    client.force_login(staff_a)
    url = reverse("modules:offer_request_list")

    def titles(params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {r.title for r in response.context["page_obj"].object_list}

    assert titles({"status": "declined"}) == {declined.title}
    assert titles({"partner": str(other_partner.pk)}) == {declined.title}
    assert titles({"theme": str(housing.pk)}) == {with_theme.title}
    assert client.get(url, {"theme": "x", "status": "??", "partner": "-1"}).status_code == 200


def test_request_list_same_query_count_for_3_and_30_rows(client, staff_a, office_a):
    client.force_login(staff_a)
    url = reverse("modules:offer_request_list")
    themes = f.ThemeFactory.create_batch(2)
    counts = []
    for rows in (3, 27):
        for _ in range(rows):
            offer_request = f.OfferRequestFactory(office=office_a)
            offer_request.themes.set(themes)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert OfferRequest.objects.filter(office=office_a).count() == 30
    assert counts[0] == counts[1]


# --- create ----------------------------------------------------------------------------


def test_staff_creates_request_for_partner_in_own_office(
    client, staff_a, office_a, office_b, organisation_a
):
    contact = f.ContactPersonFactory(organisation=organisation_a)
    theme = f.ThemeFactory()
    client.force_login(staff_a)
    assert client.get(reverse("modules:offer_request_create")).status_code == 200
    response = client.post(
        reverse("modules:offer_request_create"),
        {
            "office": str(office_b.pk),
            "partner": str(organisation_a.pk),
            "contact": str(contact.pk),
            "title": "Infosessie afval sorteren",
            "themes": [str(theme.pk)],
            "expected_participants": "20",
            "language": "ar",
            "received_on": "2026-11-20",
        },
    )
    offer_request = OfferRequest.objects.get(title="Infosessie afval sorteren")
    assert response.status_code == 302
    assert offer_request.office == office_a
    assert offer_request.status == OfferRequest.Status.NEW
    assert offer_request.created_by == staff_a
    assert list(offer_request.themes.all()) == [theme]


def test_contact_of_another_partner_is_refused(client, staff_a, organisation_a, organisation_b):
    stranger = f.ContactPersonFactory(organisation=organisation_b)
    client.force_login(staff_a)
    response = client.post(
        reverse("modules:offer_request_create"),
        {
            "partner": str(organisation_a.pk),
            "contact": str(stranger.pk),
            "title": "X",
            "language": "nl",
            "received_on": "2026-11-20",
        },
    )
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    assert not OfferRequest.objects.exists()


# --- handle ----------------------------------------------------------------------------


def test_request_detail_renders_with_handling_forms(client, staff_a, request_a):
    client.force_login(staff_a)
    response = client.get(reverse("modules:offer_request_detail", args=[request_a.pk]))
    assert response.status_code == 200
    assert response.context["plan_form"] is not None
    assert response.context["decline_form"] is not None


def test_new_request_goes_under_review(client, staff_a, request_a):
    client.force_login(staff_a)
    response = client.post(reverse("modules:offer_request_review", args=[request_a.pk]))
    assert response.status_code == 302
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.UNDER_REVIEW


def test_request_is_planned_with_office_module(client, staff_a, request_a, partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    request_a.status = OfferRequest.Status.UNDER_REVIEW
    request_a.save()
    client.force_login(staff_a)
    response = client.post(
        reverse("modules:offer_request_plan", args=[request_a.pk]),
        {"planned_module": str(module.pk)},
    )
    assert response.status_code == 302
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.PLANNED
    assert request_a.planned_module == module
    assert request_a.planned_partnership == partnership_a


def test_request_is_planned_with_office_partnership(client, staff_a, request_a, partnership_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("modules:offer_request_plan", args=[request_a.pk]),
        {"planned_partnership": str(partnership_a.pk)},
    )
    assert response.status_code == 302
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.PLANNED
    assert request_a.planned_partnership == partnership_a


def test_planning_needs_a_link(client, staff_a, request_a):
    client.force_login(staff_a)
    response = client.post(reverse("modules:offer_request_plan", args=[request_a.pk]), {})
    assert response.status_code == 400
    assert response.context["plan_form"].non_field_errors()
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.NEW


def test_planning_with_other_offices_partnership_is_refused(
    client, staff_a, request_a, partnership_b
):
    client.force_login(staff_a)
    response = client.post(
        reverse("modules:offer_request_plan", args=[request_a.pk]),
        {"planned_partnership": str(partnership_b.pk)},
    )
    assert response.status_code == 400
    assert "planned_partnership" in response.context["plan_form"].errors
    request_a.refresh_from_db()
    assert request_a.planned_partnership is None


def test_module_outside_chosen_partnership_is_refused(
    client, staff_a, request_a, partnership_a, office_a
):
    other = f.PartnershipFactory(office=office_a)
    module = f.ModuleFactory(partnership=other)
    client.force_login(staff_a)
    response = client.post(
        reverse("modules:offer_request_plan", args=[request_a.pk]),
        {"planned_partnership": str(partnership_a.pk), "planned_module": str(module.pk)},
    )
    assert response.status_code == 400
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.NEW


def test_declined_needs_reason(client, staff_a, request_a):
    client.force_login(staff_a)
    url = reverse("modules:offer_request_decline", args=[request_a.pk])
    response = client.post(url, {"decline_reason": "   "})
    assert response.status_code == 400
    assert "decline_reason" in response.context["decline_form"].errors
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.NEW


def test_decline_with_reason(client, staff_a, request_a):
    client.force_login(staff_a)
    url = reverse("modules:offer_request_decline", args=[request_a.pk])
    response = client.post(url, {"decline_reason": "Geen lesgever beschikbaar"})
    assert response.status_code == 302
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.DECLINED
    assert request_a.decline_reason == "Geen lesgever beschikbaar"


def test_decline_service_refuses_empty_reason(request_a):
    with pytest.raises(DomainError):
        decline_offer_request(offer_request=request_a, reason="")
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.NEW


def test_handled_request_cannot_be_handled_again(client, staff_a, request_a, partnership_a):
    plan_offer_request(offer_request=request_a, partnership=partnership_a)
    with pytest.raises(DomainError):
        decline_offer_request(offer_request=request_a, reason="Toch niet")
    client.force_login(staff_a)
    response = client.post(
        reverse("modules:offer_request_decline", args=[request_a.pk]),
        {"decline_reason": "Toch niet"},
    )
    assert response.status_code == 400
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.PLANNED
    review = client.post(reverse("modules:offer_request_review", args=[request_a.pk]))
    assert review.status_code == 302
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.PLANNED


# --- scoping ---------------------------------------------------------------------------

REQUEST_URLS = [
    "modules:offer_request_detail",
    "modules:offer_request_review",
    "modules:offer_request_plan",
    "modules:offer_request_decline",
]


@pytest.mark.parametrize("name", REQUEST_URLS)
def test_staff_of_other_office_gets_404_for_request(client, staff_b, request_a, name):
    client.force_login(staff_b)
    url = reverse(name, args=[request_a.pk])
    if name == "modules:offer_request_detail":
        assert client.get(url).status_code == 404
    else:
        assert client.post(url, {"decline_reason": "x"}).status_code == 404
    request_a.refresh_from_db()
    assert request_a.status == OfferRequest.Status.NEW


@pytest.mark.parametrize("name", ["modules:offer_request_list", "modules:offer_request_create"])
def test_caseworker_and_manager_get_403_on_request_screens(client, caseworker_a, manager, name):
    for user in (caseworker_a, manager):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


def test_caseworker_gets_403_on_request_detail(client, caseworker_a, request_a):
    client.force_login(caseworker_a)
    url = reverse("modules:offer_request_detail", args=[request_a.pk])
    assert client.get(url).status_code == 403
