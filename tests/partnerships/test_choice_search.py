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


@pytest.mark.parametrize(
    "url_name, word",
    [
        ("partnerships:partner_choices", "ocmw"),
        ("partnerships:partnership_choices", "alfa"),
        ("modules:module_partnership_choices", "alfa"),
        ("modules:plan_partnership_choices", "alfa"),
        ("modules:plan_module_choices", "alfa"),
        ("modules:report_partner_choices", "ocmw"),
    ],
)
def test_a_nul_character_in_the_search_is_left_out(client, staff_a, two_offices, url_name, word):
    """PostgreSQL refuses NUL in a text: every endpoint answered a server error for it."""
    f.ModuleFactory(partnership=two_offices[0], title="Samenwerking Alfa module")
    client.force_login(staff_a)
    url = reverse(url_name)
    plain = client.get(url, {"q": word})
    with_nul = client.get(url, {"q": f"{word[:2]}\x00{word[2:]}\x00"})
    assert with_nul.status_code == 200
    assert _names(plain)
    assert _names(with_nul) == _names(plain)


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


# --- the forms' long choices (agreements, modules, partners) ------------------------------


@pytest.fixture
def form_world(office_a, two_offices):
    """Office A: an active, a draft and a cancelled agreement, an open and a cancelled module;
    office B: an agreement and a module; an active and an inactive partner."""
    alfa, bravo = two_offices
    draft = f.PartnershipFactory(office=office_a, title="Samenwerking Concept", status="draft")
    f.PartnershipFactory(office=office_a, title="Samenwerking Geannuleerd", status="cancelled")
    f.ModuleFactory(partnership=alfa, title="MO Alfa module")
    f.ModuleFactory(partnership=alfa, title="MO Alfa geannuleerd", status="cancelled")
    f.ModuleFactory(partnership=bravo, title="MO Bravo module")
    f.PartnerOrganisationFactory(name="OCMW Gesloten", is_active=False)
    return {"alfa": alfa, "bravo": bravo, "draft": draft}


def test_the_forms_long_choices_offer_what_the_form_accepts_of_the_own_office(
    client, staff_a, form_world
):
    client.force_login(staff_a)

    def found(url_name, q, **params):
        return _names(client.get(reverse(url_name), {"q": q, **params}))

    # A module goes under any of the office's agreements but a cancelled one.
    assert found("modules:module_partnership_choices", "samenwerking") == [
        "Samenwerking Alfa",
        "Samenwerking Concept",
    ]
    # A request is planned under a draft or active agreement, or a module not cancelled.
    assert found("modules:plan_partnership_choices", "samenwerking") == [
        "Samenwerking Alfa",
        "Samenwerking Concept",
    ]
    assert found("modules:plan_module_choices", "mo ") == ["MO Alfa module (Samenwerking Alfa)"]
    assert found("modules:plan_module_choices", "m") == []
    # New agreements and requests choose among active partners only.
    assert found("partnerships:partner_choices", "ocmw", active="1") == ["OCMW A", "OCMW B"]
    assert "OCMW Gesloten" in found("partnerships:partner_choices", "ocmw")


def test_the_forms_pages_hold_only_the_chosen_agreement_module_and_partners(
    client, staff_a, office_a, organisation_a, form_world
):
    """The module form, the agreement form, the request form and the request's plan form:
    thousands of agreements, modules and partners at Flanders scale, none of them in the
    page but the chosen ones; the form still refuses what it does not offer."""
    for number in range(30):
        f.PartnerOrganisationFactory(name=f"Onzichtbare partner {number}")
        f.PartnershipFactory(office=office_a, title=f"Onzichtbare samenwerking {number}")
    alfa = form_world["alfa"]
    f.ModuleFactory(partnership=form_world["draft"], title="Onzichtbare module")
    client.force_login(staff_a)

    module_form = client.get(reverse("modules:module_create")).content.decode()
    assert 'data-choice-url="/modules/choices/agreements/"' in module_form
    assert "Onzichtbare samenwerking" not in module_form

    edit = client.get(reverse("partnerships:partnership_update", args=[alfa.pk])).content.decode()
    assert f'<option value="{alfa.lead_partner_id}" selected>OCMW A</option>' in edit
    assert 'data-choice-url="/partners/choices/?active=1"' in edit
    assert "Onzichtbare partner" not in edit

    request_form = client.get(reverse("modules:offer_request_create")).content.decode()
    assert 'data-choice-url="/partners/choices/?active=1"' in request_form
    assert "Onzichtbare partner" not in request_form

    offer_request = f.OfferRequestFactory(office=office_a, partner=organisation_a)
    detail_url = reverse("modules:offer_request_detail", args=[offer_request.pk])
    detail = client.get(detail_url).content.decode()
    assert 'data-choice-url="/requests/choices/modules/"' in detail
    assert 'data-choice-url="/requests/choices/agreements/"' in detail
    assert "Onzichtbare" not in detail and "MO Alfa module" not in detail
    assert "tom-select.complete.min.js" in detail

    # What is not offered is refused: the other office's module.
    bravo_module = form_world["bravo"].modules.get()
    plan = reverse("modules:offer_request_plan", args=[offer_request.pk])
    response = client.post(plan, {"planned_module": str(bravo_module.pk)})
    assert "planned_module" in response.context["plan_form"].errors
    offer_request.refresh_from_db()
    assert offer_request.planned_module is None
