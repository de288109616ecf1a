"""A request's page plans a module for it: prefilled form, module created and request planned
and linked in one service, links both ways."""

import pytest
from django.urls import reverse

from modules.models import Module, OfferRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer_request(office_a, organisation_a):
    request = f.OfferRequestFactory(
        office=office_a,
        partner=organisation_a,
        title="MO wonen voor huurders",
        expected_participants=18,
        language="fr",
    )
    request.themes.set([f.ThemeFactory(name="Wonen")])
    return request


def _post_data(form, **changes):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    data.setdefault("offer_type", Module.OfferType.TARGET_GROUP_MO)
    data.setdefault("completion_threshold", "75")
    data.update(changes)
    return data


def test_request_page_offers_to_plan_a_module(client, staff_a, offer_request):
    client.force_login(staff_a)
    response = client.get(reverse("modules:offer_request_detail", args=[offer_request.pk]))
    assert reverse("modules:offer_request_module", args=[offer_request.pk]) in response.text


def test_module_form_is_prefilled_from_the_request(
    client, staff_a, offer_request, partnership_a, office_a
):
    # An older ended agreement and another office's agreement with the same partner are not it.
    f.PartnershipFactory(
        office=office_a, lead_partner=offer_request.partner, status="ended", title="Oud"
    )
    f.PartnershipFactory(lead_partner=offer_request.partner, title="Ander kantoor")
    client.force_login(staff_a)
    response = client.get(reverse("modules:offer_request_module", args=[offer_request.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "MO wonen voor huurders"
    assert form.initial["capacity"] == 18
    assert form.initial["language"] == "fr"
    assert form.initial["themes"] == [offer_request.themes.get().pk]
    assert form.initial["partnership"] == partnership_a.pk
    assert 'value="MO wonen voor huurders"' in response.text
    assert "MO wonen voor huurders" in response.text


def test_saving_creates_the_module_and_plans_the_request(
    client, staff_a, offer_request, partnership_a
):
    client.force_login(staff_a)
    url = reverse("modules:offer_request_module", args=[offer_request.pk])
    form = client.get(url).context["form"]
    response = client.post(url, _post_data(form))
    module = Module.objects.get(title="MO wonen voor huurders")
    assert response.status_code == 302
    assert response["Location"] == reverse("modules:module_detail", args=[module.pk])
    offer_request.refresh_from_db()
    assert offer_request.status == OfferRequest.Status.PLANNED
    assert offer_request.planned_module == module
    assert offer_request.planned_partnership == partnership_a
    assert module.capacity == 18 and module.partnership == partnership_a
    # Links both ways.
    page = client.get(reverse("modules:module_detail", args=[module.pk])).text
    assert reverse("modules:offer_request_detail", args=[offer_request.pk]) in page
    page = client.get(reverse("modules:offer_request_detail", args=[offer_request.pk])).text
    assert reverse("modules:module_detail", args=[module.pk]) in page


def test_a_handled_request_gets_no_second_module(client, staff_a, offer_request, partnership_a):
    client.force_login(staff_a)
    url = reverse("modules:offer_request_module", args=[offer_request.pk])
    data = _post_data(client.get(url).context["form"])
    OfferRequest.objects.filter(pk=offer_request.pk).update(
        status="declined", decline_reason="Geen lesgever"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert not Module.objects.filter(title="MO wonen voor huurders").exists()
    assert client.get(url).status_code == 302


def test_the_service_creates_nothing_when_planning_is_refused(
    staff_a, offer_request, office_b, organisation_a
):
    from modules.services import DomainError, plan_module_for_request

    other_office = f.PartnershipFactory(office=office_b, lead_partner=organisation_a)
    module = Module(partnership=other_office, title="Verkeerd", offer_type="partial_mo", capacity=5)
    with pytest.raises(DomainError):
        plan_module_for_request(
            offer_request=offer_request, module=module, themes=[], objectives=[], by=staff_a
        )
    assert not Module.objects.filter(title="Verkeerd").exists()
    offer_request.refresh_from_db()
    assert offer_request.status == OfferRequest.Status.NEW


def test_other_office_cannot_plan_a_module_for_the_request(client, staff_b, offer_request):
    client.force_login(staff_b)
    url = reverse("modules:offer_request_module", args=[offer_request.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_the_request_forms_contacts_follow_the_chosen_partner(
    client, staff_a, organisation_a, organisation_b
):
    """No contact in the page until a partner is chosen (thousands in all); then that
    partner's, from the endpoint or after a submit; a contact of another partner is refused."""
    own = f.ContactPersonFactory(organisation=organisation_a, name="Els Contact")
    other = f.ContactPersonFactory(organisation=organisation_b, name="Jan Elders")
    client.force_login(staff_a)
    url = reverse("modules:offer_request_create")
    page = client.get(url).text
    assert "Els Contact" not in page and "Jan Elders" not in page
    assert 'data-depends-on="partner"' in page and "js/dependent-choice.js" in page
    choices = reverse("modules:request_contact_choices")
    found = client.get(choices, {"partner": organisation_a.pk}).json()["results"]
    assert found == [{"id": str(own.pk), "text": "Els Contact (OCMW A)"}]
    response = client.post(
        url, {"partner": organisation_a.pk, "contact": other.pk, "title": "MO", "language": "nl"}
    )
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    page = response.content.decode()
    assert "Els Contact (OCMW A)" in page and "Jan Elders (OCMW B)" in page  # the chosen one
