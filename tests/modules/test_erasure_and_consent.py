"""Erase on request and withdraw consent (issue 11): the client's own organisation erases one
client now with a reason, by the same anonymisation as `anonymise_participants`, and every
count stays the same; a client without consent cannot be enrolled (page and API)."""

import datetime

import pytest
from django.urls import reverse

from modules.models import Enrolment, Participant, PersonalDataAccess
from modules.services import (
    ANONYMISED_FIRST_NAME,
    DomainError,
    enrol,
    erase_participant,
    withdraw_consent,
)
from tests import factories as f
from tests.api.utils import token_client
from tests.modules.test_anonymise import own_counts, report_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina(partnership_a, organisation_a, caseworker_a):
    """A client of organisation A with a completed module, attendance and a withdrawal."""
    person = f.ParticipantFactory(
        organisation=organisation_a,
        caseworker=caseworker_a,
        first_name="Amina",
        last_name="Zeroual",
        phone="0470 12 34 56",
        email="amina@example.be",
        national_register_number="85073003328",
    )
    done = f.ModuleFactory(partnership=partnership_a, status="completed")
    session = f.SessionFactory(module=done, date=datetime.date(2025, 3, 3), status="held")
    enrolment = f.EnrolmentFactory(participant=person, module=done, status="completed")
    f.AttendanceFactory(enrolment=enrolment, session=session, status="present")
    f.EnrolmentFactory(
        participant=person,
        module=f.ModuleFactory(partnership=partnership_a),
        status="withdrawn",
        withdrawal_reason="Amina verhuist naar Luik",
    )
    person.phone = "0499 99 99 99"  # a change: the history holds the old number
    person.save()
    return person


def test_erasure_keeps_every_count_and_removes_the_old_values(amina, caseworker_a, admin):
    before = own_counts(), report_counts(admin)

    erase_participant(participant=amina, by=caseworker_a, reason="Verzoek van de persoon")

    assert (own_counts(), report_counts(admin)) == before
    amina.refresh_from_db()
    assert amina.first_name == ANONYMISED_FIRST_NAME
    assert amina.last_name == f"#{amina.pk}"
    assert (amina.phone, amina.email, amina.national_register_number) == ("", "", None)
    assert amina.anonymised_at is not None
    assert amina.anonymisation_reason == "Verzoek van de persoon"
    assert not Participant.history.filter(id=amina.pk).exists()
    assert not Enrolment.objects.filter(participant=amina).exclude(withdrawal_reason="").exists()
    assert not Enrolment.history.filter(withdrawal_reason__contains="Luik").exists()
    assert PersonalDataAccess.objects.filter(
        participant=amina, user=caseworker_a, action="erase"
    ).exists()


def test_erasure_page_needs_a_reason_and_a_confirmation_then_erases(client, amina, caseworker_a):
    client.force_login(caseworker_a)
    url = reverse("modules:participant_erase", args=[amina.pk])
    page = client.get(url).content.decode()
    assert "Persoonsgegevens wissen" in page

    refused = client.post(url, {"reason": "", "confirm": ""}).content.decode()
    amina.refresh_from_db()
    assert amina.first_name == "Amina"
    assert "Vink het vakje aan" in refused

    response = client.post(url, {"reason": "Verzoek", "confirm": "on"})
    assert response.status_code == 302
    detail = client.get(reverse("modules:participant_detail", args=[amina.pk])).content.decode()
    assert "Zeroual" not in detail and "0499" not in detail
    assert "Verzoek" in detail  # the reason for the erasure
    assert "Persoonsgegevens gewist op verzoek" in detail  # the access log


@pytest.mark.parametrize("outsider", ["caseworker_b", "staff_a"])
def test_other_organisations_and_staff_may_not_erase_or_withdraw_consent(
    request, client, amina, outsider
):
    user = request.getfixturevalue(outsider)
    for action in (
        lambda: erase_participant(participant=amina, by=user, reason="x"),
        lambda: withdraw_consent(participant=amina, by=user),
    ):
        with pytest.raises(DomainError):
            action()
    client.force_login(user)
    for name in ("modules:participant_erase", "modules:participant_consent_withdraw"):
        url = reverse(name, args=[amina.pk])
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code in (403, 404)
    amina.refresh_from_db()
    assert (amina.first_name, amina.consent_withdrawn_on) == ("Amina", None)


def test_client_page_offers_erasure_only_to_the_own_organisation(
    client, amina, caseworker_a, staff_a, partnership_a
):
    f.EnrolmentFactory(participant=amina, module=f.ModuleFactory(partnership=partnership_a))
    erase_url = reverse("modules:participant_erase", args=[amina.pk])
    client.force_login(caseworker_a)
    assert (
        erase_url
        in client.get(reverse("modules:participant_detail", args=[amina.pk])).content.decode()
    )
    client.force_login(staff_a)
    page = client.get(reverse("modules:participant_detail", args=[amina.pk])).content.decode()
    assert "Amina" in page and erase_url not in page


def test_without_consent_a_client_cannot_be_enrolled_page_and_api(
    client, amina, caseworker_a, partnership_a, today
):
    module = f.ModuleFactory(partnership=partnership_a, title="Wonen")
    client.force_login(caseworker_a)
    response = client.post(
        reverse("modules:participant_consent_withdraw", args=[amina.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    amina.refresh_from_db()
    assert amina.consent_withdrawn_on == today

    page = client.post(
        reverse("modules:participant_enrol", args=[amina.pk]), {"module": module.pk}
    ).content.decode()
    assert "heeft de toestemming ingetrokken" in page
    answer = token_client(caseworker_a).post(
        "/api/v1/enrolments/", {"client": amina.pk, "module": module.pk}, format="json"
    )
    assert answer.status_code == 409
    assert "heeft de toestemming ingetrokken" in answer.json()["detail"]
    assert not Enrolment.objects.filter(participant=amina, module=module).exists()
    shown = token_client(caseworker_a).get(f"/api/v1/clients/{amina.pk}/").json()
    assert shown["consent_withdrawn_on"] == today.isoformat()
    detail = client.get(reverse("modules:participant_detail", args=[amina.pk])).content.decode()
    assert "Ingetrokken op" in detail


def test_a_new_consent_date_ends_the_withdrawal(amina, caseworker_a, partnership_a, today):
    from modules.services import update_participant

    withdraw_consent(participant=amina, by=caseworker_a)
    update_participant(participant=amina, by=caseworker_a, fields={"consent_date": today})
    amina.refresh_from_db()
    assert amina.consent_withdrawn_on is None
    module = f.ModuleFactory(partnership=partnership_a)
    assert enrol(participant=amina, module=module, by=caseworker_a).status == "enrolled"
