"""Clients through the API: the registration page's form and service, a write-only national
register number revealed only through the logged endpoint, and the page's access rules."""

import datetime

import pytest
import time_machine

from modules.models import Participant, PersonalDataAccess
from modules.services import personal_data
from modules.services.errors import DomainError
from tests import factories as f
from tests.api.utils import results, token_client

URL = "/api/v1/clients/"
NRN = "85073003328"  # valid: 85.07.30-033.28

pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture
def pinned_today():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, 0), tick=False):
        yield


@pytest.fixture
def client_a(organisation_a, caseworker_a):
    return f.ParticipantFactory(
        organisation=organisation_a,
        caseworker=caseworker_a,
        first_name="Amina",
        last_name="Haddad",
        date_of_birth=datetime.date(1985, 7, 30),
        national_register_number=NRN,
    )


def registration(**overrides):
    data = {
        "first_name": "Yusuf",
        "last_name": "Demir",
        "date_of_birth": "1990-02-03",
        "gender": "m",
        "national_register_number": "",
        "consent_given": True,
        "consent_date": "2026-11-20",
    }
    data.update(overrides)
    return data


def test_a_caseworker_registers_a_client_and_never_gets_the_number_back(
    caseworker_a, organisation_a
):
    api = token_client(caseworker_a)

    number = f.make_national_register_number(123, datetime.date(1990, 2, 3))
    response = api.post(URL, registration(national_register_number=number), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    participant = Participant.objects.get()
    assert body["id"] == participant.pk
    assert body["organisation"] == {"id": organisation_a.pk, "name": "OCMW A"}
    assert body["has_national_register_number"] is True
    assert body["national_register_number_masked"] == "geregistreerd"
    assert "national_register_number" not in body
    assert number not in response.content.decode()
    assert number[:6] not in response.content.decode()
    assert participant.national_register_number == number
    assert (participant.caseworker, participant.consent_recorded_by) == (caseworker_a,) * 2
    record = participant.history.get()
    assert (record.history_type, record.history_user) == ("+", caseworker_a)


def test_registration_errors_name_the_field_in_the_users_language(caseworker_a):
    data = registration(national_register_number="85073003329", date_of_birth="2030-01-01")
    del data["consent_given"]

    dutch = token_client(caseworker_a).post(URL, data, format="json")
    english = token_client(caseworker_a, language="en").post(URL, data, format="json")

    assert dutch.status_code == english.status_code == 400
    fields = english.json()["fields"]
    assert set(fields) == {"national_register_number", "date_of_birth", "consent_given"}
    assert fields["date_of_birth"] == ["The date of birth cannot be in the future."]
    assert fields["consent_given"] == ["Without the client's consent you cannot register them."]
    assert "date_of_birth: The date of birth cannot be in the future." in english.json()["detail"]
    assert dutch.json()["fields"]["date_of_birth"] == [
        "De geboortedatum kan niet in de toekomst liggen."
    ]
    assert not Participant.objects.exists()


def test_a_number_registered_elsewhere_is_refused_by_the_service_without_showing_it(
    caseworker_b, client_a
):
    response = token_client(caseworker_b).post(
        URL, registration(national_register_number=NRN), format="json"
    )

    # The registration service refuses it (and records the hit, as for the page).
    assert response.status_code == 409
    assert response.json()["code"] == "refused"
    message = response.json()["fields"]["national_register_number"][0]
    assert "al een cliënt met dit rijksregisternummer" in message
    assert "Haddad" not in response.content.decode()
    assert Participant.objects.count() == 1
    hit = PersonalDataAccess.objects.get()
    assert (hit.user, hit.action) == (caseworker_b, "number_match")


def test_same_name_and_birth_date_needs_confirmation(caseworker_a, client_a):
    api = token_client(caseworker_a, language="en")
    data = registration(first_name="AMINA", last_name="haddad", date_of_birth="1985-07-30")

    warned = api.post(URL, data, format="json")
    confirmed = api.post(URL, {**data, "confirm_different_person": True}, format="json")

    assert warned.status_code == 400
    assert warned.json()["fields"]["existing_clients"] == [str(client_a.pk)]
    assert "confirm_different_person" in warned.json()["fields"]
    assert confirmed.status_code == 201
    assert Participant.objects.count() == 2


def test_creating_goes_through_the_registration_service(caseworker_a, monkeypatch):
    """A rule added to the service (e.g. a limit) holds for the API too."""

    def refuse(participant):
        raise DomainError("Limiet bereikt.")

    monkeypatch.setattr(personal_data, "_save_participant", refuse)

    response = token_client(caseworker_a).post(URL, registration(), format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "Limiet bereikt.", "code": "refused"}
    assert not Participant.objects.exists()


def test_a_partial_change_keeps_the_stored_number_and_other_fields(caseworker_a, client_a):
    api = token_client(caseworker_a)

    response = api.patch(f"{URL}{client_a.pk}/", {"phone": "0470 12 34 56"}, format="json")

    assert response.status_code == 200, response.json()
    client_a.refresh_from_db()
    assert client_a.phone == "0470 12 34 56"
    assert client_a.national_register_number == NRN
    assert (client_a.first_name, client_a.date_of_birth) == ("Amina", datetime.date(1985, 7, 30))
    assert client_a.history.order_by("-history_id").first().history_user == caseworker_a


def test_a_change_with_a_bad_value_changes_nothing(caseworker_a, client_a):
    response = token_client(caseworker_a).patch(
        f"{URL}{client_a.pk}/", {"last_name": "", "email": "geen-mail"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"last_name", "email"}
    client_a.refresh_from_db()
    assert client_a.last_name == "Haddad"


def test_reveal_returns_the_number_and_records_who_saw_it(caseworker_a, staff_a, client_a):
    f.EnrolmentFactory(
        participant=client_a,
        module=f.ModuleFactory(partnership=f.PartnershipFactory(office=staff_a.membership.office)),
    )

    for user in (caseworker_a, staff_a):
        response = token_client(user).post(f"{URL}{client_a.pk}/reveal-national-register-number/")
        assert response.status_code == 200
        assert response.json() == {"national_register_number": "85.07.30-033.28"}
        assert "no-store" in response["Cache-Control"]

    accesses = PersonalDataAccess.objects.filter(participant=client_a)
    assert sorted(a.user.username for a in accesses) == ["caseworker_a", "staff_a"]
    assert set(accesses.values_list("action", flat=True)) == {"reveal_nrn"}


def response_headers_are_private(response) -> bool:
    return {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))


def test_reading_a_client_shows_only_the_masked_number(caseworker_a, client_a):
    body = token_client(caseworker_a).get(f"{URL}{client_a.pk}/").json()

    assert body["has_national_register_number"] is True
    assert body["national_register_number_masked"] == "geregistreerd"
    assert response_headers_are_private(token_client(caseworker_a).get(f"{URL}{client_a.pk}/"))
    assert NRN not in str(body) and "85.07.30" not in str(body) and "33.28" not in str(body)
    assert not PersonalDataAccess.objects.exists()


def test_staff_and_managers_may_not_register_or_change_clients(staff_a, manager, admin, client_a):
    for user in (staff_a, manager, admin):
        api = token_client(user)
        assert api.post(URL, registration(), format="json").status_code == 403
        assert api.patch(f"{URL}{client_a.pk}/", {"phone": "1"}, format="json").status_code == 403
    assert Participant.objects.count() == 1


def test_the_client_list_searches_by_name(caseworker_a, client_a, organisation_a):
    f.ParticipantFactory(organisation=organisation_a, first_name="Jan", last_name="Peeters")
    api = token_client(caseworker_a)

    found = results(api.get(URL, {"q": "hadd"}))

    assert [row["last_name"] for row in found] == ["Haddad"]
    assert found[0]["current_enrolments"] == 0
    assert found[0]["caseworker"] == "Gebruiker CASEWORKER_A"
