"""The change history on the module, session, agreement, partner and client pages (issue 11):
who, when, what changed, with verbose names and readable values; bounded; personal values
never shown; scoped like the page (another organisation sees nothing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Enrolment
from partnerships.history import HISTORY_LIMIT
from tests import factories as f

pytestmark = pytest.mark.django_db


def change(obj, user, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_module_page_shows_who_changed_what_with_labels(client, partnership_a, staff_a):
    module = f.ModuleFactory(partnership=partnership_a, title="Wonen", capacity=12)
    change(module, staff_a, title="Wonen en buren", capacity=15, status="running")
    session = f.SessionFactory(module=module)
    change(session, staff_a, location="Zaal 3")

    html = page(client, staff_a, reverse("modules:module_detail", args=[module.pk]))
    history = html[html.index('id="history"') :]
    assert "Gebruiker STAFF_A" in history
    assert "Titel</span>: Wonen → Wonen en buren" in history
    assert "Capaciteit</span>: 12 → 15" in history
    assert "Status</span>: Open voor inschrijving → Lopend" in history  # labels, not values
    assert "Sessie van 04-03-2024: gewijzigd" in history
    assert "Zaal 3" in history


def test_session_page_shows_its_history(client, partnership_a, staff_a):
    session = f.SessionFactory(module=f.ModuleFactory(partnership=partnership_a), date="2027-03-01")
    change(session, staff_a, topic="Huurcontract")
    html = page(client, staff_a, reverse("modules:session_edit", args=[session.pk]))
    assert "Onderwerp</span>: – → Huurcontract" in html[html.index('id="history"') :]


def test_agreement_and_partner_pages_show_related_names_and_choice_labels(
    client, partnership_a, organisation_b, organisation_a, staff_a
):
    partnership_a.partners.add(organisation_b)
    change(partnership_a, staff_a, lead_partner=organisation_b, status="ended")
    html = page(
        client, staff_a, reverse("partnerships:partnership_detail", args=[partnership_a.pk])
    )
    history = html[html.index('id="history"') :]
    assert "Hoofdpartner</span>: OCMW A → OCMW B" in history
    assert "Beëindigd" in history

    change(organisation_a, staff_a, kind="caw")
    html = page(client, staff_a, reverse("partnerships:partner_detail", args=[organisation_a.pk]))
    assert "Soort</span>: OCMW → CAW" in html[html.index('id="history"') :]


@pytest.fixture
def amina(partnership_a, partnership_b, organisation_a, caseworker_a):
    """A client of organisation A, enrolled in a module of office A and one of office B."""
    person = f.ParticipantFactory(
        organisation=organisation_a,
        caseworker=caseworker_a,
        first_name="Amina",
        last_name="Zeroual",
        phone="0470 11 11 11",
        national_register_number="85073003328",
    )
    partnership_b.partners.add(organisation_a)
    for partnership, title in ((partnership_a, "Module van Atlas"), (partnership_b, "Gents")):
        enrolment = f.EnrolmentFactory(
            participant=person, module=f.ModuleFactory(partnership=partnership, title=title)
        )
        change(enrolment, caseworker_a, status=Enrolment.Status.WITHDRAWN)
    change(person, caseworker_a, phone="0470 22 22 22", national_register_number="90020199726")
    return person


def test_client_history_says_a_personal_field_changed_but_never_its_values(
    client, amina, caseworker_a
):
    html = page(client, caseworker_a, reverse("modules:participant_detail", args=[amina.pk]))
    history = html[html.index('id="history"') :]
    assert "Telefoon</span>: (gewijzigd; niet getoond)" in history
    assert "0470 11 11 11" not in history and "0470 22 22 22" not in history
    assert "ijksregisternummer" not in history and "85.07" not in history
    assert "Inschrijving in Module van Atlas" in history and "Inschrijving in Gents" in history
    assert "Ingeschreven → Uitgeschreven" in history


def test_client_history_shows_values_only_of_the_fields_allowed(client, amina, caseworker_a):
    """An allow-list: who the client belongs to shows its values; the person's own data,
    including fields nobody listed, only that it changed."""
    colleague = f.UserFactory(first_name="Sofie", last_name="Collega")
    change(amina, caseworker_a, caseworker=colleague, email="amina@example.be", gender="f")
    html = page(client, caseworker_a, reverse("modules:participant_detail", args=[amina.pk]))
    history = html[html.index('id="history"') :]
    assert "Sofie Collega" in history
    assert "amina@example.be" not in history
    assert "E-mail</span>: (gewijzigd; niet getoond)" in history
    assert "Geslacht</span>: (gewijzigd; niet getoond)" in history


def test_staff_see_only_their_offices_enrolments_in_a_clients_history(client, amina, staff_b):
    html = page(client, staff_b, reverse("modules:participant_detail", args=[amina.pk]))
    history = html[html.index('id="history"') :]
    assert "Inschrijving in Gents" in history
    assert "Module van Atlas" not in html


def test_another_organisations_caseworker_sees_no_history(client, amina, caseworker_b):
    client.force_login(caseworker_b)
    for url in (
        reverse("modules:participant_detail", args=[amina.pk]),
        reverse("modules:participant_detail", args=[amina.pk]) + "?history=all",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Zeroual" not in response.content.decode()


def test_history_is_bounded_with_a_link_to_the_whole_history(client, partnership_a, staff_a):
    module = f.ModuleFactory(partnership=partnership_a, capacity=10)
    for capacity in range(11, 11 + HISTORY_LIMIT + 5):
        change(module, staff_a, capacity=capacity)
    url = reverse("modules:module_detail", args=[module.pk])

    html = page(client, staff_a, url)
    assert html.count("Capaciteit</span>") == HISTORY_LIMIT
    assert "?history=all#history" in html
    everything = page(client, staff_a, url + "?history=all")
    assert everything.count("Capaciteit</span>") == HISTORY_LIMIT + 5
    assert "?history=all#history" not in everything


def test_history_query_count_does_not_grow_with_the_changes(client, partnership_a, staff_a):
    def queries_for(changes):
        module = f.ModuleFactory(partnership=partnership_a, capacity=10)
        session = f.SessionFactory(module=module)
        for n in range(changes):
            change(module, staff_a, capacity=11 + n)
            change(session, staff_a, topic=f"Onderwerp {n}")
        client.force_login(staff_a)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("modules:module_detail", args=[module.pk]) + "?history=all")
        return len(queries)

    assert queries_for(2) == queries_for(20)
