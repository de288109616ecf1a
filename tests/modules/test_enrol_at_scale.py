"""Enrolling from an open module: the organisation's clients with a search box and pages,
those already in the module hidden; namesakes told apart everywhere people are listed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Enrolment
from modules.services import enrol
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, capacity=40, title="MO werk")


def _client(organisation, first, last, **kw):
    return f.ParticipantFactory(organisation=organisation, first_name=first, last_name=last, **kw)


def _listed(response):
    return [c.pk for c in response.context["page_obj"].object_list]


def test_the_enrol_list_is_searched_and_paginated(client, caseworker_a, module, organisation_a):
    clients = [_client(organisation_a, f"Voornaam{i:02d}", "Jansens") for i in range(30)]
    haddad = _client(organisation_a, "Amina", "Haddad")
    client.force_login(caseworker_a)
    url = reverse("modules:open_module_detail", args=[module.pk])

    first = client.get(url)
    assert first.context["page_obj"].paginator.count == 31
    assert len(_listed(first)) == 25
    assert "Pagina 1 van 2" in first.text or "Page 1 of 2" in first.text
    second = client.get(url, {"page": 2})
    assert len(_listed(second)) == 6
    assert client.get(url, {"page": "abc"}).status_code == 200

    found = client.get(url, {"q": "hadd"})
    assert _listed(found) == [haddad.pk]
    assert "Amina Haddad" in found.text and "Voornaam00" not in found.text
    assert _listed(client.get(url, {"q": "amina HADDAD"})) == [haddad.pk]
    assert _listed(client.get(url, {"q": str(clients[3].pk)})) == [clients[3].pk]
    assert _listed(client.get(url, {"q": "zzzz"})) == []
    # A NUL character typed or pasted into the box is left out (PostgreSQL refuses it in a
    # text: the page failed with a server error), not searched for.
    assert _listed(client.get(url, {"q": "had\x00d"})) == [haddad.pk]


def test_clients_already_in_the_module_are_hidden_but_withdrawn_ones_come_back(
    client, caseworker_a, module, organisation_a
):
    inside = _client(organisation_a, "Binnen", "Al")
    waiting = _client(organisation_a, "Wacht", "Al")
    gone = _client(organisation_a, "Weg", "Al")
    free = _client(organisation_a, "Vrij", "Nog")
    f.EnrolmentFactory(participant=inside, module=module)
    f.EnrolmentFactory(participant=waiting, module=module, status="waitlisted", waitlist_position=1)
    f.EnrolmentFactory(participant=gone, module=module, status="withdrawn")
    client.force_login(caseworker_a)
    response = client.get(reverse("modules:open_module_detail", args=[module.pk]))
    assert set(_listed(response)) == {gone.pk, free.pk}
    assert "Binnen Al" not in response.text


def test_another_organisations_clients_are_never_listed(
    client, caseworker_a, module, organisation_a, organisation_b
):
    module.partnership.partners.add(organisation_b)
    _client(organisation_b, "Andere", "Organisatie")
    own = _client(organisation_a, "Eigen", "Client")
    client.force_login(caseworker_a)
    response = client.get(reverse("modules:open_module_detail", args=[module.pk]), {"q": "e"})
    assert _listed(response) == [own.pk]
    assert "Organisatie" not in response.text


def test_enrolling_checked_clients_from_a_searched_page(
    client, caseworker_a, module, organisation_a
):
    clients = [_client(organisation_a, f"Naam{i}", "Zoek") for i in range(3)]
    client.force_login(caseworker_a)
    url = reverse("modules:open_module_detail", args=[module.pk])
    response = client.post(url, {"participants": [c.pk for c in clients[:2]]})
    assert response.status_code == 200
    assert set(Enrolment.objects.values_list("participant_id", flat=True)) == {
        clients[0].pk,
        clients[1].pk,
    }
    assert _listed(client.get(url)) == [clients[2].pk]


def test_the_enrol_page_query_count_does_not_grow_with_clients(
    client, caseworker_a, module, organisation_a
):
    client.force_login(caseworker_a)
    url = reverse("modules:open_module_detail", args=[module.pk])
    counts = []
    for n in (2, 20):
        for i in range(n):
            _client(organisation_a, f"N{n}x{i}", "Telling")
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_namesakes_are_told_apart_on_every_list(
    client, caseworker_a, staff_a, module, organisation_a, today
):
    one = _client(organisation_a, "Mohamed", "Ali", date_of_birth=datetime.date(1984, 2, 1))
    two = _client(organisation_a, "Mohamed", "Ali", date_of_birth=datetime.date(1999, 7, 7))
    client.force_login(caseworker_a)
    enrol_page = client.get(reverse("modules:open_module_detail", args=[module.pk])).text
    for participant, year in ((one, "1984"), (two, "1999")):
        assert f"geboren {year}" in enrol_page
        assert f"nr. {participant.client_number}" in enrol_page
    assert "OCMW A" in enrol_page
    for participant in (one, two):
        enrol(participant=participant, module=module, by=caseworker_a)
    session = f.SessionFactory(module=module, date=today)
    client.force_login(staff_a)
    for url in (
        reverse("modules:module_detail", args=[module.pk]),
        reverse("modules:attendance", args=[session.pk]),
    ):
        page = client.get(url).text
        assert "geboren 1984" in page and "geboren 1999" in page, url
        assert f"nr. {one.client_number}" in page and f"nr. {two.client_number}" in page, url


def test_the_client_page_shows_the_client_number_the_lists_use(
    client, caseworker_a, organisation_a
):
    participant = _client(organisation_a, "Sara", "Nummer")
    client.force_login(caseworker_a)
    page = client.get(reverse("modules:participant_detail", args=[participant.pk])).text
    assert "Cliëntnummer" in page and participant.client_number in page
