"""Partner organisations in the browser: list, detail, create/edit with contacts, deactivate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import ContactPerson, PartnerOrganisation
from tests import factories as f

pytestmark = pytest.mark.django_db


def _contacts_management(prefix="contacts", total=2, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _partner_post(**overrides):
    data = {
        "name": "CAW Antwerpen",
        "kind": "caw",
        "enterprise_number": "BE 0403.019.261",
        "postal_code": "2000",
        "municipality": "Antwerpen",
        "is_active": "on",
        **_contacts_management(),
        "contacts-0-name": "An Peeters",
        "contacts-0-function": "Trajectbegeleider",
        "contacts-0-email": "an@example.be",
        "contacts-0-is_active": "on",
        # The empty extra row as a browser posts it: its "active" box is ticked by default.
        "contacts-1-is_active": "on",
    }
    data.update(overrides)
    return data


def test_partner_list_shows_partners_and_filters_by_kind(client, staff_a):
    f.PartnerOrganisationFactory(name="VDAB Antwerpen", kind="vdab")
    f.PartnerOrganisationFactory(name="OCMW Mortsel", kind="ocmw")
    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partner_list"), {"kind": "vdab"})
    assert response.status_code == 200
    assert "VDAB Antwerpen" in response.text
    assert "OCMW Mortsel" not in response.text


def test_partner_list_searches_name_and_enterprise_number(client, staff_a):
    f.PartnerOrganisationFactory(name="Huisvesting Zuid", enterprise_number="0403019261")
    f.PartnerOrganisationFactory(name="Andere partner")
    client.force_login(staff_a)
    by_number = client.get(reverse("partnerships:partner_list"), {"q": "0403.019.261"})
    assert "Huisvesting Zuid" in by_number.text
    assert "Andere partner" not in by_number.text
    by_name = client.get(reverse("partnerships:partner_list"), {"q": "zuid"})
    assert "Huisvesting Zuid" in by_name.text
    assert "Andere partner" not in by_name.text


def test_partner_list_filters_municipality_and_active(client, staff_a):
    f.PartnerOrganisationFactory(name="Gent actief", municipality="Gent")
    f.PartnerOrganisationFactory(name="Gent stil", municipality="Gent", is_active=False)
    f.PartnerOrganisationFactory(name="Brugge actief", municipality="Brugge")
    client.force_login(staff_a)
    response = client.get(
        reverse("partnerships:partner_list"), {"municipality": "gent", "is_active": "true"}
    )
    assert "Gent actief" in response.text
    assert "Gent stil" not in response.text
    assert "Brugge actief" not in response.text


def test_partner_list_survives_garbage_filters(client, staff_a):
    client.force_login(staff_a)
    response = client.get(
        reverse("partnerships:partner_list"),
        {"kind": "nonsense", "is_active": "maybe", "page": "abc"},
    )
    assert response.status_code in (200, 404)
    response = client.get(reverse("partnerships:partner_list"), {"kind": "nonsense"})
    assert response.status_code == 200


def test_partner_list_same_query_count_for_3_and_30_rows(client, staff_a):
    client.force_login(staff_a)
    url = reverse("partnerships:partner_list")
    counts = []
    for rows in (3, 27):
        partners = f.PartnerOrganisationFactory.create_batch(rows)
        for partner in partners:
            f.ContactPersonFactory(organisation=partner)
            f.PartnershipFactory(office=staff_a.membership.office, lead_partner=partner)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert PartnerOrganisation.objects.count() >= 30
    assert counts[0] == counts[1]


def test_partner_detail_shows_contacts_and_only_own_office_agreements(
    client, staff_a, organisation_a, partnership_a, office_b
):
    f.ContactPersonFactory(organisation=organisation_a, name="Jan Contact")
    f.PartnershipFactory(office=office_b, lead_partner=organisation_a, title="Gents akkoord")
    f.ModuleFactory(partnership=partnership_a, title="Rechten en plichten")
    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partner_detail", args=[organisation_a.pk]))
    assert response.status_code == 200
    assert "Jan Contact" in response.text
    assert partnership_a.title in response.text
    assert "Rechten en plichten" in response.text
    assert "Gents akkoord" not in response.text


def test_partner_detail_query_count_is_fixed(client, staff_a, organisation_a):
    url = reverse("partnerships:partner_detail", args=[organisation_a.pk])
    client.force_login(staff_a)
    counts = []
    for extra in (1, 10):
        for _ in range(extra):
            partnership = f.PartnershipFactory(
                office=staff_a.membership.office, lead_partner=organisation_a
            )
            f.ModuleFactory(partnership=partnership)
            f.ContactPersonFactory(organisation=organisation_a)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_staff_creates_partner_with_contact_and_normalised_number(client, staff_a):
    client.force_login(staff_a)
    response = client.post(reverse("partnerships:partner_create"), _partner_post())
    organisation = PartnerOrganisation.objects.get(name="CAW Antwerpen")
    assert response.status_code == 302
    assert response.url == reverse("partnerships:partner_detail", args=[organisation.pk])
    assert organisation.enterprise_number == "0403019261"
    assert list(organisation.contacts.values_list("name", flat=True)) == ["An Peeters"]


def test_invalid_enterprise_number_gives_field_message_and_saves_nothing(client, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("partnerships:partner_create"), _partner_post(enterprise_number="0403.019.262")
    )
    assert response.status_code == 200
    assert "enterprise_number" in response.context["form"].errors
    assert not PartnerOrganisation.objects.filter(name="CAW Antwerpen").exists()
    assert not ContactPerson.objects.filter(name="An Peeters").exists()


def test_duplicate_enterprise_number_is_refused(client, staff_a):
    f.PartnerOrganisationFactory(enterprise_number="0403019261")
    client.force_login(staff_a)
    response = client.post(reverse("partnerships:partner_create"), _partner_post())
    assert response.status_code == 200
    assert "enterprise_number" in response.context["form"].errors


def test_staff_edits_partner_and_deactivates_contact(client, staff_a, organisation_a):
    contact = f.ContactPersonFactory(organisation=organisation_a, name="Oud Contact")
    client.force_login(staff_a)
    url = reverse("partnerships:partner_update", args=[organisation_a.pk])
    assert client.get(url).status_code == 200
    data = _partner_post(
        name="OCMW A (nieuw)",
        enterprise_number=organisation_a.enterprise_number,
        **_contacts_management(total=2, initial=1),
    )
    data.update(
        {
            "contacts-0-id": str(contact.pk),
            "contacts-0-name": "Oud Contact",
            "contacts-0-email": "",
            "contacts-0-function": "",
        }
    )
    data.pop("contacts-0-is_active")
    response = client.post(url, data)
    assert response.status_code == 302
    organisation_a.refresh_from_db()
    contact.refresh_from_db()
    assert organisation_a.name == "OCMW A (nieuw)"
    assert contact.is_active is False


def test_deactivating_partner_keeps_it_with_history(client, staff_a, organisation_a, partnership_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("partnerships:partner_active", args=[organisation_a.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    organisation_a.refresh_from_db()
    assert organisation_a.is_active is False
    assert PartnerOrganisation.objects.filter(pk=organisation_a.pk).exists()


@pytest.mark.parametrize("name", ["partner_list", "partner_create"])
def test_caseworker_and_manager_get_403_on_partner_screens(client, caseworker_a, manager, name):
    for user in (caseworker_a, manager):
        client.force_login(user)
        assert client.get(reverse(f"partnerships:{name}")).status_code == 403


def test_caseworker_gets_403_on_partner_detail(client, caseworker_a, organisation_a):
    client.force_login(caseworker_a)
    url = reverse("partnerships:partner_detail", args=[organisation_a.pk])
    assert client.get(url).status_code == 403


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("partnerships:partner_list"))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_agreement_count_counts_only_own_office(
    client, staff_a, organisation_a, office_a, office_b
):
    f.PartnershipFactory(office=office_a, lead_partner=organisation_a)
    f.PartnershipFactory(office=office_b, lead_partner=organisation_a)
    f.PartnershipFactory(office=office_b, lead_partner=organisation_a)
    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partner_list"), {"q": organisation_a.name})
    counts = {o.pk: o.agreement_count for o in response.context["page_obj"].object_list}
    assert counts[organisation_a.pk] == 1
