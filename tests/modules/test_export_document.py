# ruff: noqa: F811 (the shared_client fixture is imported from the export-scoping tests)
"""The client's data export as a readable Dutch document (issue 11): Dutch labels, Brussels
times, statuses in words; the same scope as the JSON export and recorded like it."""

import datetime

import pytest
from django.urls import reverse

from modules.models import Enrolment, PersonalDataAccess
from tests.security.test_export_scoping import shared_client  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "modules:participant_export_document"


def document(client, user, participant, language="nl"):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.post(reverse(URL, args=[participant.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def test_document_speaks_dutch_with_brussels_times_and_statuses_in_words(
    client,
    shared_client,
    caseworker_a,
):
    # 23:30 UTC on 29 November is 00:30 on 30 November in Brussels.
    Enrolment.objects.filter(participant=shared_client).update(
        enrolled_at=datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC)
    )
    html = document(client, caseworker_a, shared_client, language="en")

    assert "Jouw gegevens in Partnerwerk" in html
    assert "Ingeschreven op 30 november 2026 00:30" in html
    assert "<strong>Uitgeschreven</strong>" in html and "<strong>Ingeschreven</strong>" in html
    assert "Aanwezig" in html  # the attendance status in words
    assert "withdrawn" not in html and ">enrolled<" not in html
    assert "Toegang tot persoonsgegevens" in html  # the own organisation gets the access log
    assert "Gedeeld" in html


def test_document_is_recorded_like_the_json_export(client, shared_client, caseworker_a):
    before = PersonalDataAccess.objects.filter(action="export", user=caseworker_a).count()
    document(client, caseworker_a, shared_client)
    after = PersonalDataAccess.objects.filter(action="export", user=caseworker_a).count()
    assert after == before + 1


def test_staff_document_holds_only_their_offices_enrolments(client, shared_client, staff_a):
    html = document(client, staff_a, shared_client)
    assert "Module van kantoor A" in html
    assert "Module van kantoor B" not in html and "Onderwerp-van-B" not in html
    assert "Toegang tot persoonsgegevens" not in html and "STAFF_B" not in html


@pytest.mark.parametrize("outsider, status", [("caseworker_b", 404), ("manager", 403)])
def test_outsiders_get_no_document_and_nothing_is_recorded(
    client,
    request,
    shared_client,
    outsider,
    status,
):
    user = request.getfixturevalue(outsider)
    client.force_login(user)
    before = PersonalDataAccess.objects.count()
    response = client.post(reverse(URL, args=[shared_client.pk]))
    assert response.status_code == status
    assert "Gedeeld" not in response.content.decode()
    assert PersonalDataAccess.objects.count() == before


def test_client_page_offers_the_document(client, shared_client, caseworker_a):
    client.force_login(caseworker_a)
    html = client.get(reverse("modules:participant_detail", args=[shared_client.pk])).content
    assert reverse(URL, args=[shared_client.pk]) in html.decode()
