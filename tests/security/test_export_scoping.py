"""Issue 8, finding 1: a client's export and the clients list show a user exactly what the
client page shows them. Staff of office A see only office A's enrolments of a client who is
also enrolled in office B's module; the full right-of-access export (every enrolment, the
access log, the change history) is for administrators and the client's own organisation."""

import json

import pytest
from django.urls import reverse

from modules.models import Enrolment, PersonalDataAccess, Session
from tests import factories as f


@pytest.fixture
def shared_client(partnership_a, partnership_b, organisation_a, caseworker_a, staff_b):
    """A client of organisation A, enrolled in office A's module and (withdrawn) in office
    B's module, with attendance at B and a data access by office B's staff."""
    partnership_b.partners.add(organisation_a)
    module_a = f.ModuleFactory(partnership=partnership_a, title="Module van kantoor A")
    module_b = f.ModuleFactory(partnership=partnership_b, title="Module van kantoor B")
    session_b = f.SessionFactory(
        module=module_b, status=Session.Status.HELD, topic="Onderwerp-van-B"
    )
    participant = f.ParticipantFactory(
        organisation=organisation_a, caseworker=caseworker_a, last_name="Gedeeld"
    )
    f.EnrolmentFactory(
        participant=participant,
        module=module_a,
        status=Enrolment.Status.WITHDRAWN,
        withdrawal_reason="Reden-bij-A",
    )
    at_b = f.EnrolmentFactory(participant=participant, module=module_b)
    f.AttendanceFactory(enrolment=at_b, session=session_b)
    PersonalDataAccess.objects.create(
        participant=participant, user=staff_b, action=PersonalDataAccess.Action.EXPORT
    )
    return participant


def _export(client, user, participant) -> dict:
    client.force_login(user)
    response = client.post(reverse("modules:participant_export", args=[participant.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


def test_staff_export_holds_only_their_offices_enrolments_and_no_access_log(
    client, staff_a, shared_client
):
    data = _export(client, staff_a, shared_client)
    text = json.dumps(data, ensure_ascii=False)

    assert [e["module"] for e in data["enrolments"]] == ["Module van kantoor A"]
    assert "Module van kantoor B" not in text
    assert "Onderwerp-van-B" not in text
    assert "staff_b" not in text.lower() and "STAFF_B" not in text
    assert "data_access_log" not in data and "change_history" not in data


def test_staff_export_matches_what_the_client_page_shows_them(client, staff_a, shared_client):
    client.force_login(staff_a)
    page = client.get(reverse("modules:participant_detail", args=[shared_client.pk]))
    data = _export(client, staff_a, shared_client)

    shown = {e.module.title for e in page.context["participant"].visible_enrolments}
    assert shown == {e["module"] for e in data["enrolments"]}


@pytest.mark.parametrize("role", ["caseworker_a", "admin"])
def test_the_clients_own_organisation_and_admins_get_the_full_export(
    client, request, role, shared_client
):
    data = _export(client, request.getfixturevalue(role), shared_client)

    assert {e["module"] for e in data["enrolments"]} == {
        "Module van kantoor A",
        "Module van kantoor B",
    }
    assert any("STAFF_B" in entry["user"] for entry in data["data_access_log"])
    assert "change_history" in data


def test_client_list_counts_only_the_current_enrolments_the_user_may_see(
    client, staff_a, staff_b, caseworker_a, shared_client
):
    counts = {}
    for user in (staff_a, staff_b, caseworker_a):
        client.force_login(user)
        response = client.get(reverse("modules:participant_list"))
        (row,) = [p for p in response.context["object_list"] if p.pk == shared_client.pk]
        counts[user.username] = row.current_enrolments

    # Office A's enrolment was withdrawn: staff of A see no current enrolment of theirs.
    assert counts == {"staff_a": 0, "staff_b": 1, "caseworker_a": 1}
