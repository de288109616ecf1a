"""The API shows outsiders nothing of office A or organisation A, by content: no row, no
count, no name in the JSON; another organisation's object is a 404 for every method; a
manager never gets personal data. The insiders' view is checked too, so these can fail."""

import json

import pytest
from rest_framework.test import APIClient

from modules.models import Enrolment, Participant, PersonalDataAccess
from tests.security.conftest import NATIONAL_NUMBER

LISTS = {
    "modules": "/api/v1/modules/",
    "sessions": "/api/v1/sessions/",
    "open-modules": "/api/v1/open-modules/",
    "clients": "/api/v1/clients/",
    "enrolments": "/api/v1/enrolments/",
    "partners": "/api/v1/partners/",
    "agreements": "/api/v1/agreements/",
    "plan-targets": "/api/v1/plan-targets/",
}
REPORT = "/api/v1/reports/yearly/?year_from=2026&year_to=2026&breakdown=office"
# Shared by all offices (as on the pages): the partner list shows organisation A to staff B.
SHARED = {"partners"}


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def secrets_of_a(world) -> list[str]:
    participant = world["participant"]
    return [
        participant.first_name,
        participant.last_name,
        NATIONAL_NUMBER,
        NATIONAL_NUMBER[-4:-2] + "." + NATIONAL_NUMBER[-2:],  # even the masked digits
        world["module"].title,
        world["closed_module"].title,
        world["partnership"].title,
    ]


def test_the_insiders_see_office_a_in_the_api(staff_a, caseworker_a, qa_world):
    staff = api_for(staff_a)
    caseworker = api_for(caseworker_a)

    modules = staff.get(LISTS["modules"]).json()["results"]
    open_modules = caseworker.get(LISTS["open-modules"]).json()["results"]
    staff_clients = staff.get(LISTS["clients"]).json()["results"]
    own_clients = caseworker.get(LISTS["clients"]).json()["results"]

    assert {m["title"] for m in modules} == {"Open module A", "Closed module A"}
    open_a = next(m for m in modules if m["title"] == "Open module A")
    assert (open_a["capacity"], open_a["taken"], open_a["free_places"]) == (12, 1, 11)
    assert open_a["waitlist_length"] == 0
    assert [m["title"] for m in open_modules] == ["Open module A"]
    assert open_modules[0]["free_places"] == 11
    assert [c["last_name"] for c in staff_clients] == ["Klant-van-A"]
    assert [c["last_name"] for c in own_clients] == ["Klant-van-A"]
    report = staff.get(REPORT).json()
    total = next(row for row in report["rows"] if row["is_total"])
    assert (total["sessions"], total["participants"]) == (1, 1)


@pytest.mark.parametrize("actor", ["staff_b", "caseworker_b"])
def test_outsiders_get_no_row_count_or_name_of_a_in_any_api_answer(request, actor, qa_world):
    user = request.getfixturevalue(actor)
    api = api_for(user)
    seen = {}
    for name, url in LISTS.items():
        response = api.get(url)
        assert response.status_code in (200, 403), (name, response.status_code)
        if response.status_code == 200:
            seen[name] = response.json()
            if name not in SHARED:
                assert seen[name]["count"] == 0, (actor, name, seen[name])
    report = api.get(REPORT)
    if report.status_code == 200:
        seen["report"] = report.json()
        for row in report.json()["rows"]:
            assert (row["sessions"], row["modules"], row["participants"]) == (0, 0, 0), row

    text = json.dumps(seen, ensure_ascii=False)
    for secret in secrets_of_a(qa_world):
        assert secret not in text, (actor, secret)
    assert seen, "the outsider reached at least one list"


@pytest.mark.parametrize("actor", ["manager", "manager_a"])
def test_a_manager_gets_counts_and_never_personal_data(request, actor, qa_world):
    api = api_for(request.getfixturevalue(actor))

    refused = {name: api.get(url).status_code for name, url in LISTS.items()}
    details = [
        f"/api/v1/clients/{qa_world['participant'].pk}/",
        f"/api/v1/enrolments/{qa_world['enrolment'].pk}/",
        f"/api/v1/modules/{qa_world['module'].pk}/",
    ]
    reveal = api.post(
        f"/api/v1/clients/{qa_world['participant'].pk}/reveal-national-register-number/"
    )
    report = api.get(REPORT)

    assert set(refused.values()) == {403}
    assert {api.get(url).status_code for url in details} == {403}
    assert reveal.status_code == 403
    assert report.status_code == 200
    total = next(row for row in report.json()["rows"] if row["is_total"])
    assert total["participants"] == 1  # counted, never named
    text = report.content.decode()
    for secret in secrets_of_a(qa_world)[:4]:
        assert secret not in text
    assert not PersonalDataAccess.objects.exists()


def test_another_organisations_client_and_enrolment_are_404_for_every_method(
    caseworker_b, qa_world
):
    api = api_for(caseworker_b)
    client_url = f"/api/v1/clients/{qa_world['participant'].pk}/"
    enrolment_url = f"/api/v1/enrolments/{qa_world['enrolment'].pk}/"
    answers = [
        api.get(client_url),
        api.put(client_url, {"first_name": "X"}, format="json"),
        api.patch(client_url, {"first_name": "X"}, format="json"),
        api.post(f"{client_url}reveal-national-register-number/"),
        api.get(enrolment_url),
        api.delete(enrolment_url),
        api.post(f"{enrolment_url}withdraw/", {}, format="json"),
    ]

    assert [answer.status_code for answer in answers] == [404] * len(answers)
    for answer in answers:
        assert answer.json() == {"detail": "Niet gevonden.", "code": "not_found"}
    assert Participant.objects.get(pk=qa_world["participant"].pk).first_name == "Amira"
    assert Enrolment.objects.get(pk=qa_world["enrolment"].pk).status == "enrolled"
    assert not PersonalDataAccess.objects.exists()


def test_another_offices_objects_are_404_for_staff(staff_b, qa_world):
    api = api_for(staff_b)
    urls = [
        f"/api/v1/modules/{qa_world['module'].pk}/",
        f"/api/v1/sessions/{qa_world['session'].pk}/",
        f"/api/v1/agreements/{qa_world['partnership'].pk}/",
        f"/api/v1/plan-targets/{qa_world['plan_target'].pk}/",
        f"/api/v1/clients/{qa_world['participant'].pk}/",
        f"/api/v1/enrolments/{qa_world['enrolment'].pk}/",
    ]

    assert [api.get(url).status_code for url in urls] == [404] * len(urls)


def test_staff_only_report_their_own_office_whatever_office_they_ask(staff_b, office_a, qa_world):
    response = api_for(staff_b).get(f"{REPORT}&office={office_a.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["notices"] == ["Je ziet alleen de aantallen van je eigen kantoor."]
    assert all(row["sessions"] == 0 for row in body["rows"])
    assert office_a.name not in response.content.decode()


def test_a_caseworker_cannot_enrol_another_organisations_client_through_the_api(
    caseworker_b, qa_world, partnership_b
):
    from tests import factories as f

    their_module = f.ModuleFactory(partnership=partnership_b)
    response = api_for(caseworker_b).post(
        "/api/v1/enrolments/",
        {"client": qa_world["participant"].pk, "module": their_module.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "Klant-van-A" not in response.content.decode()
    assert not Enrolment.objects.filter(module=their_module).exists()
