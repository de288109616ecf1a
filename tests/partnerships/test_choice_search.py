"""Filter dropdowns with thousands of partners or agreements are search-as-you-type (issue
10): the page renders only the chosen option; the JSON endpoints answer what the user may
see, at most 20 at a time."""

import pytest
from django.urls import reverse

from tests import factories as f


def _names(response):
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def two_offices(partnership_a, partnership_b):
    partnership_a.title = "Samenwerking Alfa"
    partnership_a.save()
    partnership_b.title = "Samenwerking Bravo"
    partnership_b.save()
    return partnership_a, partnership_b


def test_agreement_choices_are_those_of_the_staff_members_office(client, staff_a, two_offices):
    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partnership_choices"), {"q": "samenwerking"})
    assert _names(response) == ["Samenwerking Alfa"]


def test_partner_choices_of_my_agreements_leave_out_other_offices_partners(
    client, staff_a, two_offices
):
    client.force_login(staff_a)
    url = reverse("partnerships:partner_choices")
    assert _names(client.get(url, {"q": "ocmw", "of": "agreements"})) == ["OCMW A"]
    # Partner organisations themselves are shared by all offices (the agreements filter).
    assert _names(client.get(url, {"q": "ocmw"})) == ["OCMW A", "OCMW B"]


def test_one_letter_finds_nothing_and_at_most_twenty_come_back(client, staff_a, office_a):
    for number in range(25):
        f.PartnerOrganisationFactory(name=f"Vzw Zoeker {number:02}")
    client.force_login(staff_a)
    url = reverse("partnerships:partner_choices")
    assert _names(client.get(url, {"q": "v"})) == []
    found = _names(client.get(url, {"q": "zoeker"}))
    assert found == [f"Vzw Zoeker {n:02}" for n in range(20)]


def test_caseworkers_and_visitors_get_no_choices(client, caseworker_a, two_offices):
    url = reverse("partnerships:partnership_choices")
    assert client.get(url, {"q": "samenwerking"}).status_code == 302
    client.force_login(caseworker_a)
    assert client.get(url, {"q": "samenwerking"}).status_code == 403


@pytest.mark.parametrize(
    "url_name, field, choice_url",
    [
        ("partnerships:partnership_list", "partner", "/partners/choices/"),
        ("modules:module_list", "partner", "/partners/choices/?of=agreements"),
        ("modules:offer_request_list", "partner", "/partners/choices/"),
        ("modules:yearly_report", "partner", "/reports/partners/choices/"),
    ],
)
def test_the_list_shows_only_the_chosen_partner(
    client, staff_a, two_offices, url_name, field, choice_url, django_assert_max_num_queries
):
    for number in range(30):
        f.PartnerOrganisationFactory(name=f"Onzichtbare partner {number}")
    chosen = two_offices[0].lead_partner
    client.force_login(staff_a)
    response = client.get(reverse(url_name), {field: chosen.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{chosen.pk}" selected>OCMW A</option>' in page
    assert "Onzichtbare partner" not in page
    assert f'data-choice-url="{choice_url}"' in page
    assert "tom-select.complete.min.js" in page


def test_the_evaluations_list_shows_only_the_chosen_agreement(client, staff_a, two_offices):
    client.force_login(staff_a)
    chosen = two_offices[0]
    response = client.get(reverse("modules:evaluation_list"), {"partnership": chosen.pk})
    page = response.content.decode()
    assert f'<option value="{chosen.pk}" selected>Samenwerking Alfa</option>' in page
    assert "Samenwerking Bravo" not in page
    # Another office's agreement is not a valid choice: the filter refuses it.
    other = client.get(reverse("modules:evaluation_list"), {"partnership": two_offices[1].pk})
    assert "Samenwerking Bravo" not in other.content.decode()


def test_the_reports_partner_choices_are_lead_partners_of_the_managers_office(
    client, manager_a, office_a, two_offices
):
    """The report counts a module under its agreement's lead partner: only lead partners
    of agreements the user may see are offered (an office manager: their office's)."""
    f.PartnershipFactory(
        office=office_a,
        lead_partner=f.PartnerOrganisationFactory(name="OCMW Leider"),
        partners=[f.PartnerOrganisationFactory(name="OCMW Deelnemer")],
    )
    client.force_login(manager_a)
    url = reverse("modules:report_partner_choices")
    assert _names(client.get(url, {"q": "ocmw"})) == ["OCMW A", "OCMW Leider"]
    assert _names(client.get(url, {"q": "o"})) == []
