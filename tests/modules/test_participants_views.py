"""Caseworker screens: clients, registration with the duplicate guard, the national register
number reveal, the right-of-access export, open modules, enrolment and withdrawal."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Enrolment, Participant, PersonalDataAccess
from modules.services import close_enrolment, enrol
from tests import factories as f

NRN = "85073003328"  # valid: 85.07.30-033.28


@pytest.fixture
def module(partnership_a):
    module = f.ModuleFactory(
        partnership=partnership_a, capacity=1, title="Wegwijs in de zorg", location="Zaal 3"
    )
    f.SessionFactory(module=module, date=datetime.date(2026, 12, 7), topic="Huisarts")
    return module


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
        "nationality": "Turks",
        "languages": "Turks, Nederlands",
        "phone": "",
        "email": "",
        "national_register_number": "",
        "consent_given": "on",
        "consent_date": "2026-11-20",
    }
    data.update(overrides)
    return data


# --- list and detail -----------------------------------------------------------------------


def test_client_list_shows_own_clients_and_searches_by_name(
    client, caseworker_a, client_a, organisation_a, organisation_b
):
    f.ParticipantFactory(organisation=organisation_a, first_name="Bart", last_name="Peeters")
    f.ParticipantFactory(organisation=organisation_b, first_name="Zeno", last_name="Outsider")
    client.force_login(caseworker_a)

    everyone = client.get(reverse("modules:participant_list")).content.decode()
    searched = client.get(reverse("modules:participant_list"), {"q": "hadd"}).content.decode()

    assert "Haddad" in everyone and "Peeters" in everyone
    assert "Outsider" not in everyone
    assert "Haddad" in searched and "Peeters" not in searched
    assert "033" not in everyone  # never a national register number in a list


def test_client_list_query_count_does_not_grow_with_rows(client, caseworker_a, organisation_a):
    client.force_login(caseworker_a)
    url = reverse("modules:participant_list")

    def queries_for(rows):
        Participant.objects.all().delete()
        for _ in range(rows):
            f.ParticipantFactory(organisation=organisation_a, caseworker=caseworker_a)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(24)


def test_client_detail_masks_the_national_number(client, caseworker_a, client_a):
    client.force_login(caseworker_a)

    page = client.get(reverse("modules:participant_detail", args=[client_a.pk])).content.decode()

    assert client_a.masked_national_register_number in page
    assert NRN not in page and "85.07.30-033.28" not in page


def test_reveal_shows_the_number_once_and_is_recorded(client, caseworker_a, client_a):
    client.force_login(caseworker_a)
    detail = reverse("modules:participant_detail", args=[client_a.pk])

    response = client.post(reverse("modules:participant_reveal", args=[client_a.pk]))
    revealed = client.get(detail).content.decode()
    later = client.get(detail).content.decode()

    assert response.status_code == 302
    assert "85.07.30-033.28" in revealed
    assert "85.07.30-033.28" not in later
    access = PersonalDataAccess.objects.get()
    assert (access.participant, access.user, access.action) == (
        client_a,
        caseworker_a,
        PersonalDataAccess.Action.REVEAL_NATIONAL_NUMBER,
    )


def test_reveal_needs_a_post(client, caseworker_a, client_a):
    client.force_login(caseworker_a)

    response = client.get(reverse("modules:participant_reveal", args=[client_a.pk]))

    assert response.status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_staff_client_list_counts_each_office_client_once_and_no_other(
    client, staff_a, client_a, module, partnership_a, partnership_b, organisation_a
):
    """The caption and the pages use a count read from the enrolment side (issue 10): it
    must equal the rows the list can show, once per client, only of staff's own office."""
    twice = f.ParticipantFactory(organisation=organisation_a, last_name="Twee")
    elsewhere = f.ParticipantFactory(organisation=organisation_a, last_name="Elders")
    second = f.ModuleFactory(partnership=partnership_a)
    other_office = f.ModuleFactory(partnership=partnership_b)
    f.EnrolmentFactory(participant=client_a, module=module)
    f.EnrolmentFactory(participant=twice, module=module, status="withdrawn")
    f.EnrolmentFactory(participant=twice, module=second)
    f.EnrolmentFactory(participant=elsewhere, module=other_office)
    client.force_login(staff_a)

    page = client.get(reverse("modules:participant_list")).content.decode()
    searched = client.get(reverse("modules:participant_list"), {"q": "Elders"})

    assert "2 cliënten" in page or "2 clients" in page
    assert "Haddad" in page and "Twee" in page and "Elders" not in page
    assert searched.context["paginator"].count == 0


def test_staff_sees_client_of_their_office_with_attendance_read_only(
    client, staff_a, client_a, module
):
    enrolment = f.EnrolmentFactory(participant=client_a, module=module)
    f.AttendanceFactory(enrolment=enrolment, session=module.sessions.get(), status="present")
    client.force_login(staff_a)

    page = client.get(reverse("modules:participant_detail", args=[client_a.pk])).content.decode()

    assert "Wegwijs in de zorg" in page
    assert "Present" in page or "Aanwezig" in page
    assert reverse("modules:participant_edit", args=[client_a.pk]) not in page
    assert reverse("modules:enrolment_withdraw", args=[enrolment.pk]) not in page
    assert client.get(reverse("modules:participant_edit", args=[client_a.pk])).status_code == 403


# --- export ----------------------------------------------------------------------------


def test_staff_exports_everything_about_a_client_and_it_is_recorded(
    client, staff_a, client_a, module, caseworker_a
):
    enrolment = f.EnrolmentFactory(participant=client_a, module=module, enrolled_by=caseworker_a)
    f.AttendanceFactory(enrolment=enrolment, session=module.sessions.get(), status="excused")
    PersonalDataAccess.objects.create(
        participant=client_a,
        user=caseworker_a,
        action=PersonalDataAccess.Action.REVEAL_NATIONAL_NUMBER,
    )
    client.force_login(staff_a)

    response = client.post(reverse("modules:participant_export", args=[client_a.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="client-{client_a.pk}.json"'
    data = json.loads(response.content)
    assert data["participant"]["last_name"] == "Haddad"
    assert data["participant"]["date_of_birth"] == "1985-07-30"
    assert data["participant"]["national_register_number"] == "85.07.30-033.28"
    assert data["participant"]["referring_organisation"] == "OCMW A"
    [exported] = data["enrolments"]
    assert (exported["module"], exported["status"]) == ("Wegwijs in de zorg", "enrolled")
    assert exported["attendance"][0]["status"] == "excused"
    assert exported["attendance"][0]["session_date"] == "2026-12-07"
    # The access log names other people (the caseworker): only in the client's full export.
    assert "data_access_log" not in data
    assert PersonalDataAccess.objects.filter(
        participant=client_a, user=staff_a, action="export"
    ).exists()


def test_caseworker_exports_own_client(client, caseworker_a, client_a):
    client.force_login(caseworker_a)

    response = client.post(reverse("modules:participant_export", args=[client_a.pk]))

    data = json.loads(response.content)
    assert data["participant"]["first_name"] == "Amina"
    assert [entry["action"] for entry in data["data_access_log"]] == ["export"]
    assert PersonalDataAccess.objects.filter(action="export", user=caseworker_a).count() == 1


# --- register and edit -------------------------------------------------------------------


def test_caseworker_registers_a_client_with_consent(client, caseworker_a, organisation_a):
    client.force_login(caseworker_a)

    response = client.post(
        reverse("modules:participant_create"),
        registration(national_register_number="85.07.30-033.28"),
    )

    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("modules:participant_detail", args=[participant.pk])
    assert participant.organisation == organisation_a
    assert participant.caseworker == caseworker_a
    assert participant.consent_recorded_by == caseworker_a
    assert participant.consent_date == datetime.date(2026, 11, 20)
    assert participant.national_register_number == NRN  # normalised


def test_registration_without_consent_is_refused(client, caseworker_a):
    client.force_login(caseworker_a)
    data = registration()
    del data["consent_given"]

    response = client.post(reverse("modules:participant_create"), data)

    assert response.status_code == 200
    assert "consent" in response.content.decode()
    assert not Participant.objects.exists()


def test_invalid_national_number_gets_a_field_message(client, caseworker_a):
    client.force_login(caseworker_a)

    response = client.post(
        reverse("modules:participant_create"), registration(national_register_number="85073003329")
    )

    assert response.status_code == 200
    assert "national_register_number" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_same_national_number_is_refused_with_a_clear_message(
    client, caseworker_b, client_a, organisation_b
):
    client.force_login(caseworker_b)

    response = client.post(
        reverse("modules:participant_create"), registration(national_register_number=NRN)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["national_register_number"]
    assert "al een cliënt met dit rijksregisternummer" in errors[0]
    assert not Participant.objects.filter(organisation=organisation_b).exists()
    assert "Haddad" not in response.content.decode()  # another organisation's client stays hidden


def test_same_name_and_birth_date_warns_and_needs_confirmation(
    client, caseworker_a, client_a, organisation_a
):
    client.force_login(caseworker_a)
    data = registration(first_name="amina", last_name="HADDAD", date_of_birth="1985-07-30")

    warned = client.post(reverse("modules:participant_create"), data)

    assert warned.status_code == 200
    page = warned.content.decode()
    assert reverse("modules:participant_detail", args=[client_a.pk]) in page
    assert 'type="checkbox" name="confirm_different_person"' in page
    assert Participant.objects.filter(organisation=organisation_a).count() == 1

    confirmed = client.post(
        reverse("modules:participant_create"), {**data, "confirm_different_person": "on"}
    )

    assert confirmed.status_code == 302
    assert Participant.objects.filter(organisation=organisation_a).count() == 2


def test_same_name_in_another_organisation_is_no_duplicate(client, caseworker_b, client_a):
    client.force_login(caseworker_b)
    data = registration(first_name="Amina", last_name="Haddad", date_of_birth="1985-07-30")

    response = client.post(reverse("modules:participant_create"), data)

    assert response.status_code == 302


def test_caseworker_edits_own_client(client, caseworker_a, client_a):
    client.force_login(caseworker_a)
    data = registration(
        first_name="Amina",
        last_name="Haddad-Benali",
        date_of_birth="1985-07-30",
        national_register_number=NRN,
        consent_date="2024-01-15",
    )
    del data["consent_given"]

    response = client.post(reverse("modules:participant_edit", args=[client_a.pk]), data)

    assert response.status_code == 302
    client_a.refresh_from_db()
    assert client_a.last_name == "Haddad-Benali"


# --- open modules and enrolment ------------------------------------------------------------


def test_open_modules_lists_only_enrollable_modules_of_my_partnerships(
    client, caseworker_a, module, partnership_a, partnership_b
):
    f.ModuleFactory(partnership=partnership_a, title="Geannuleerd", status="cancelled")
    f.ModuleFactory(partnership=partnership_a, title="Nog gesloten", status="planned")
    f.ModuleFactory(partnership=partnership_a, title="Loopt nog", status="running")
    f.ModuleFactory(
        partnership=partnership_a, title="Loopt, dicht", status="running", enrolment_open=False
    )
    f.ModuleFactory(partnership=partnership_b, title="Van een ander")
    client.force_login(caseworker_a)

    page = client.get(reverse("modules:open_module_list")).content.decode()

    assert "Wegwijs in de zorg" in page and "Loopt nog" in page
    for hidden in ("Geannuleerd", "Nog gesloten", "Loopt, dicht", "Van een ander"):
        assert hidden not in page


def test_open_modules_filter_by_language_theme_offer_type_and_date(
    client, caseworker_a, module, partnership_a
):
    theme = f.ThemeFactory(name="Wonen")
    other = f.ModuleFactory(
        partnership=partnership_a,
        title="Wonen in het Arabisch",
        language="ar",
        offer_type="partial_mo",
        themes=[theme],
    )
    f.SessionFactory(module=other, date=datetime.date(2027, 3, 1))
    client.force_login(caseworker_a)
    url = reverse("modules:open_module_list")

    def titles(params):
        return {m.title for m in client.get(url, params).context["object_list"]}

    assert titles({"language": "ar"}) == {"Wonen in het Arabisch"}
    assert titles({"theme": theme.pk}) == {"Wonen in het Arabisch"}
    assert titles({"offer_type": "mo_without_trajectory"}) == {"Wegwijs in de zorg"}
    assert titles({"date": "2027-01-01"}) == {"Wonen in het Arabisch"}


@pytest.mark.parametrize(
    "params", [{"language": "xx"}, {"theme": "abc"}, {"date": "gisteren"}, {"offer_type": "1"}]
)
def test_open_modules_bad_filter_values_give_a_message(client, caseworker_a, module, params):
    client.force_login(caseworker_a)

    response = client.get(reverse("modules:open_module_list"), params)

    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_open_module_list_query_count_does_not_grow_with_rows(client, caseworker_a, partnership_a):
    client.force_login(caseworker_a)
    url = reverse("modules:open_module_list")
    theme = f.ThemeFactory()

    def queries_for(rows):
        for _ in range(rows):
            module = f.ModuleFactory(partnership=partnership_a, themes=[theme])
            f.SessionFactory(module=module, date=datetime.date(2026, 12, 1))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(20)


def test_enrol_several_clients_from_a_module_reports_each_outcome(
    client, caseworker_a, module, organisation_a
):
    first, second = (
        f.ParticipantFactory(organisation=organisation_a, last_name=name)
        for name in ("Eerste", "Tweede")
    )
    client.force_login(caseworker_a)

    response = client.post(
        reverse("modules:open_module_detail", args=[module.pk]),
        {"participants": [first.pk, second.pk]},
    )

    assert response.status_code == 200
    outcomes = {r["participant"].last_name: r for r in response.context["results"]}
    assert outcomes["Eerste"]["outcome"] == "enrolled"
    assert (outcomes["Tweede"]["outcome"], outcomes["Tweede"]["position"]) == ("waitlisted", 1)


def test_enrolling_another_organisations_client_from_a_module_is_a_form_error(
    client, caseworker_a, module, organisation_b
):
    outsider = f.ParticipantFactory(organisation=organisation_b)
    client.force_login(caseworker_a)

    response = client.post(
        reverse("modules:open_module_detail", args=[module.pk]), {"participants": [outsider.pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Enrolment.objects.exists()


def test_enrol_garbage_ids_give_a_message(client, caseworker_a, module):
    client.force_login(caseworker_a)

    response = client.post(
        reverse("modules:open_module_detail", args=[module.pk]), {"participants": ["x'; --"]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors


def test_enrol_from_a_client_page(client, caseworker_a, client_a, module):
    client.force_login(caseworker_a)
    url = reverse("modules:participant_enrol", args=[client_a.pk])

    assert "Wegwijs in de zorg" in client.get(url).content.decode()
    response = client.post(url, {"module": module.pk})

    assert response.context["results"][0]["outcome"] == "enrolled"
    assert Enrolment.objects.get().participant == client_a


def test_a_module_closed_since_the_form_was_shown_is_no_longer_offered(
    client, caseworker_a, client_a, module, staff_a
):
    client.force_login(caseworker_a)
    url = reverse("modules:open_module_detail", args=[module.pk])
    response_get = client.get(url)
    form_clients = response_get.context["form"].fields["participants"].queryset
    assert client_a in form_clients
    # The module closes between showing the form and posting it.
    close_enrolment(module=module, by=staff_a)

    response = client.post(
        reverse("modules:participant_enrol", args=[client_a.pk]), {"module": module.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors  # no longer offered
    assert not Enrolment.objects.exists()


def test_withdraw_asks_for_confirmation_then_withdraws(client, caseworker_a, client_a, module):
    enrolment = f.EnrolmentFactory(participant=client_a, module=module)
    client.force_login(caseworker_a)
    url = reverse("modules:enrolment_withdraw", args=[enrolment.pk])

    confirm = client.get(url)
    enrolment.refresh_from_db()
    assert confirm.status_code == 200 and enrolment.status == "enrolled"

    response = client.post(url, {"reason": "Verhuisd"})

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.withdrawal_reason) == ("withdrawn", "Verhuisd")


# --- home ------------------------------------------------------------------------------


def test_caseworker_home_shows_clients_and_open_modules(
    client, caseworker_a, client_a, module, today
):
    f.EnrolmentFactory(participant=client_a, module=module)
    client.force_login(caseworker_a)

    page = client.get(reverse("home")).content.decode()

    assert "Amina Haddad" in page
    assert "Wegwijs in de zorg" in page
    assert "07-12-2026" in page  # the next session, in the Dutch short date format


def test_caseworker_home_query_count_does_not_grow_with_rows(
    client, caseworker_a, organisation_a, partnership_a
):
    client.force_login(caseworker_a)

    def queries_for(rows):
        for _ in range(rows):
            module = f.ModuleFactory(partnership=partnership_a)
            f.SessionFactory(module=module, date=datetime.date(2026, 12, 1))
            participant = f.ParticipantFactory(organisation=organisation_a)
            f.EnrolmentFactory(participant=participant, module=module)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(20)


def test_a_refused_enrolment_is_shown_with_its_reason(
    client, caseworker_a, client_a, module, monkeypatch
):
    from modules.services import DomainError
    from modules.views import participants as views

    def refuse(**kwargs):
        raise DomainError("This client is already enrolled in this module (Enrolled).")

    monkeypatch.setattr(views, "enrol", refuse)  # e.g. a colleague enrolled them a moment ago
    client.force_login(caseworker_a)

    response = client.post(
        reverse("modules:open_module_detail", args=[module.pk]), {"participants": [client_a.pk]}
    )

    assert response.status_code == 200
    [result] = response.context["results"]
    assert result["outcome"] == "refused"
    assert "already enrolled" in response.content.decode()


def test_client_detail_query_count_does_not_grow_with_enrolments(
    client, caseworker_a, client_a, partnership_a
):
    client.force_login(caseworker_a)
    url = reverse("modules:participant_detail", args=[client_a.pk])

    def queries_for(rows):
        for _ in range(rows):
            module = f.ModuleFactory(partnership=partnership_a)
            session = f.SessionFactory(module=module, date=datetime.date(2026, 12, 1))
            enrolment = f.EnrolmentFactory(participant=client_a, module=module)
            f.AttendanceFactory(enrolment=enrolment, session=session)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(20)


def test_withdraw_message_names_the_module_not_the_client(client, caseworker_a, client_a, module):
    enrolment = f.EnrolmentFactory(participant=client_a, module=module)
    client.force_login(caseworker_a)

    response = client.post(
        reverse("modules:enrolment_withdraw", args=[enrolment.pk]), {"reason": ""}, follow=True
    )

    [message] = [str(m) for m in response.context["messages"]]
    assert "Wegwijs in de zorg" in message and "Haddad" not in message


def test_caseworker_home_shows_free_places_and_waiting_list_length(
    client, caseworker_a, organisation_a, module
):
    # `module` has one place: one client takes it, two wait.
    for _ in range(3):
        enrol(
            participant=f.ParticipantFactory(organisation=organisation_a),
            module=module,
            by=caseworker_a,
        )
    client.force_login(caseworker_a)
    response = client.get(reverse("home"))
    (shown,) = [m for m in response.context["open_modules"] if m.pk == module.pk]
    assert (shown.free_places, shown.waitlist_length) == (0, 2)
    assert "0 / 1" in response.content.decode()
