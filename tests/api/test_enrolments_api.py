"""Enrol and withdraw through the API: the same service, lock and messages as the pages."""

import threading

import pytest
from django.db import connection

from modules.models import Enrolment, Module
from tests import factories as f
from tests.api.utils import results, token_client

URL = "/api/v1/enrolments/"


@pytest.fixture
def module_a(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, title="Wonen in Antwerpen", capacity=1)


@pytest.fixture
def clients_a(organisation_a, caseworker_a):
    return [
        f.ParticipantFactory(organisation=organisation_a, caseworker=caseworker_a, last_name=name)
        for name in ("Eerste", "Tweede", "Derde")
    ]


def test_enrolling_answers_enrolled_then_waitlisted_with_position(
    caseworker_a, module_a, clients_a
):
    api = token_client(caseworker_a)

    first = api.post(URL, {"client": clients_a[0].pk, "module": module_a.pk}, format="json")
    second = api.post(URL, {"client": clients_a[1].pk, "module": module_a.pk}, format="json")
    third = api.post(URL, {"client": clients_a[2].pk, "module": module_a.pk}, format="json")

    assert first.status_code == 201
    assert first.json()["status"] == "enrolled"
    assert first.json()["waitlist_position"] is None
    assert second.status_code == 201
    assert (second.json()["status"], second.json()["waitlist_position"]) == ("waitlisted", 1)
    assert second.json()["message"] == "Op de wachtlijst, plaats 1."
    assert (third.json()["status"], third.json()["waitlist_position"]) == ("waitlisted", 2)
    assert Enrolment.objects.filter(module=module_a).count() == 3


def test_repeating_an_enrolment_is_refused_with_the_pages_message_and_adds_nothing(
    caseworker_a, module_a, clients_a
):
    body = {"client": clients_a[0].pk, "module": module_a.pk}
    token_client(caseworker_a).post(URL, body, format="json")

    dutch = token_client(caseworker_a).post(URL, body, format="json")
    english = token_client(caseworker_a, language="en").post(URL, body, format="json")

    assert dutch.status_code == 409
    assert dutch.json() == {
        "detail": "Deze cliënt is al ingeschreven voor deze module (Ingeschreven).",
        "code": "refused",
    }
    assert english.status_code == 409
    assert english.json()["detail"] == (
        "This client is already enrolled in this module (Enrolled)."
    )
    assert english["Content-Language"] == "en"
    assert Enrolment.objects.filter(participant=clients_a[0], module=module_a).count() == 1


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
    caseworker_a, module_a, clients_a
):
    api = token_client(caseworker_a)
    body = {"client": clients_a[0].pk, "module": module_a.pk}

    first = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="sync-4711")
    retry = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="sync-4711")
    other = api.post(
        URL,
        {"client": clients_a[1].pk, "module": module_a.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="sync-4711",
    )

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Enrolment.objects.filter(module=module_a).count() == 1
    assert other.status_code == 400
    assert "Idempotency-Key" in other.json()["fields"]


def test_an_idempotency_key_is_per_user(caseworker_a, module_a, clients_a, organisation_a):
    colleague = f.UserFactory(username="collega_a")
    f.MembershipFactory(user=colleague, role="caseworker", office=None, organisation=organisation_a)
    body = {"client": clients_a[0].pk, "module": module_a.pk}
    token_client(caseworker_a).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    response = token_client(colleague).post(
        URL,
        {"client": clients_a[1].pk, "module": module_a.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )

    assert response.status_code == 201
    assert response.json()["client"] == clients_a[1].pk


@pytest.mark.parametrize(
    ("change", "dutch", "english"),
    [
        (
            # The database keeps enrolment_open in step with the status (issue 9).
            {"status": Module.Status.PLANNED, "enrolment_open": False},
            "De inschrijving voor deze module is gesloten.",
            "Enrolment for this module is closed.",
        ),
        (
            {"status": Module.Status.CANCELLED, "enrolment_open": False},
            "Deze module is geannuleerd; ze kan niet meer veranderen.",
            "This module is cancelled; it can no longer change.",
        ),
    ],
)
def test_a_closed_module_refuses_with_the_pages_message_in_both_languages(
    caseworker_a, module_a, clients_a, change, dutch, english
):
    Module.objects.filter(pk=module_a.pk).update(**change)
    body = {"client": clients_a[0].pk, "module": module_a.pk}

    nl = token_client(caseworker_a).post(URL, body, format="json")
    en = token_client(caseworker_a, language="en-GB,en;q=0.8").post(URL, body, format="json")

    assert (nl.status_code, nl.json()["detail"]) == (409, dutch)
    assert (en.status_code, en.json()["detail"]) == (409, english)
    assert not Enrolment.objects.exists()


def test_another_organisations_client_or_module_is_refused_by_field(
    caseworker_a, module_a, organisation_b, partnership_b
):
    theirs = f.ParticipantFactory(organisation=organisation_b, last_name="VanB")
    their_module = f.ModuleFactory(partnership=partnership_b)
    mine = f.ParticipantFactory(organisation=module_a.partnership.lead_partner)
    api = token_client(caseworker_a, language="en")

    client_refused = api.post(URL, {"client": theirs.pk, "module": module_a.pk}, format="json")
    module_refused = api.post(URL, {"client": mine.pk, "module": their_module.pk}, format="json")

    assert client_refused.status_code == 400
    assert client_refused.json()["fields"] == {
        "client": [f"There is no client with id {theirs.pk} among your clients."]
    }
    assert "client:" in client_refused.json()["detail"]
    assert module_refused.status_code == 400
    assert module_refused.json()["fields"] == {
        "module": [f"There is no module with id {their_module.pk} open to your organisation."]
    }
    assert not Enrolment.objects.exists()


def test_missing_and_malformed_fields_are_named(caseworker_a):
    response = token_client(caseworker_a, language="en").post(URL, {"module": "abc"}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "client": ["This field is required."],
        "module": ["Give the module's id (a number)."],
    }


def test_withdrawing_by_delete_or_post_promotes_the_first_waitlisted(
    caseworker_a, module_a, clients_a, mailoutbox
):
    caseworker_a.email = "cw@example.be"
    caseworker_a.save()
    api = token_client(caseworker_a)
    ids = [
        api.post(URL, {"client": c.pk, "module": module_a.pk}, format="json").json()["id"]
        for c in clients_a
    ]

    deleted = api.delete(f"{URL}{ids[0]}/")
    posted = api.post(f"{URL}{ids[1]}/withdraw/", {"reason": "verhuisd"}, format="json")
    again = api.delete(f"{URL}{ids[1]}/")

    assert deleted.status_code == 200
    assert deleted.json()["status"] == "withdrawn"
    assert posted.status_code == 200
    assert posted.json()["withdrawal_reason"] == "verhuisd"
    assert Enrolment.objects.get(pk=ids[2]).status == Enrolment.Status.ENROLLED
    assert again.status_code == 409
    assert again.json()["detail"] == "Deze cliënt is al uitgeschreven uit deze module."
    too_long = api.post(f"{URL}{ids[2]}/withdraw/", {"reason": "x" * 301}, format="json")
    assert too_long.status_code == 400
    assert list(too_long.json()["fields"]) == ["reason"]
    assert Enrolment.objects.get(pk=ids[2]).status == Enrolment.Status.ENROLLED


def test_staff_and_managers_may_not_enrol_or_withdraw(
    staff_a, manager, caseworker_a, module_a, clients_a
):
    enrolment = f.EnrolmentFactory(participant=clients_a[0], module=module_a)
    body = {"client": clients_a[1].pk, "module": module_a.pk}

    for user in (staff_a, manager):
        api = token_client(user)
        assert api.post(URL, body, format="json").status_code == 403
        assert api.delete(f"{URL}{enrolment.pk}/").status_code == 403
        assert api.post(f"{URL}{enrolment.pk}/withdraw/").status_code == 403

    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ENROLLED
    assert Enrolment.objects.count() == 1


def test_the_enrolment_list_is_filtered_and_paginated_with_next_links(
    caseworker_a, module_a, organisation_a
):
    other = f.ModuleFactory(partnership=module_a.partnership)
    for n in range(3):
        client = f.ParticipantFactory(organisation=organisation_a, last_name=f"K{n}")
        f.EnrolmentFactory(participant=client, module=module_a)
        f.EnrolmentFactory(participant=client, module=other)
    api = token_client(caseworker_a)

    page = api.get(URL, {"module": module_a.pk, "page_size": 2}).json()
    rest = api.get(page["next"]).json()

    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"].startswith("http://testserver/api/v1/enrolments/?")
    assert len(rest["results"]) == 1 and rest["next"] is None
    assert {row["module"] for row in page["results"] + rest["results"]} == {module_a.pk}
    assert api.get(URL, {"module": "x"}).status_code == 400
    assert results(api.get(URL, {"status": "waitlisted"})) == []


def test_every_api_write_is_in_the_history_with_the_tokens_user(caseworker_a, module_a, clients_a):
    api = token_client(caseworker_a)
    enrolment_id = api.post(
        URL, {"client": clients_a[0].pk, "module": module_a.pk}, format="json"
    ).json()["id"]
    api.delete(f"{URL}{enrolment_id}/")

    records = Enrolment.history.filter(id=enrolment_id).order_by("history_date")
    assert [(r.status, r.history_user) for r in records] == [
        ("enrolled", caseworker_a),
        ("withdrawn", caseworker_a),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_api_enrolments_never_overbook(organisation_a, partnership_a):
    """Through the API, the enrol service's row lock still decides: one place, two requests
    at once, one enrolled and one waitlisted."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update); runs in CI on PostgreSQL")
    caseworker = f.UserFactory(username="cw_race")
    f.MembershipFactory(
        user=caseworker, role="caseworker", office=None, organisation=organisation_a
    )
    module = f.ModuleFactory(partnership=partnership_a, capacity=1)
    clients = [f.ParticipantFactory(organisation=organisation_a) for _ in range(2)]
    secrets = [token_client(caseworker).secret for _ in clients]
    barrier = threading.Barrier(2)
    answers = []

    def enrol(secret, client):
        from rest_framework.test import APIClient

        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        barrier.wait()
        answers.append(
            api.post(URL, {"client": client.pk, "module": module.pk}, format="json").json()
        )
        connection.close()

    threads = [threading.Thread(target=enrol, args=pair) for pair in zip(secrets, clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer["status"] for answer in answers) == ["enrolled", "waitlisted"]
    assert Enrolment.objects.filter(module=module, status="enrolled").count() == 1
