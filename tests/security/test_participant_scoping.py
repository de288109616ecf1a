"""Every client, enrolment and open-module URL: another organisation's caseworker gets 404,
a manager gets 403, and nothing changes."""

import pytest
from django.urls import reverse

from modules.models import Enrolment, Participant, PersonalDataAccess
from tests import factories as f


@pytest.fixture
def world(partnership_a, organisation_a, caseworker_a):
    module = f.ModuleFactory(partnership=partnership_a, title="Module van A")
    participant = f.ParticipantFactory(
        organisation=organisation_a,
        caseworker=caseworker_a,
        last_name="Klant-van-A",
        national_register_number="85073003328",
    )
    other = f.ParticipantFactory(organisation=organisation_a, last_name="Tweede-van-A")
    enrolment = f.EnrolmentFactory(participant=participant, module=module)
    return {"module": module, "participant": participant, "other": other, "enrolment": enrolment}


def client_urls(world):
    """(method, url, data) for every URL that names one of organisation A's clients."""
    pk = world["participant"].pk
    return [
        ("get", reverse("modules:participant_detail", args=[pk]), None),
        ("get", reverse("modules:participant_edit", args=[pk]), None),
        ("post", reverse("modules:participant_edit", args=[pk]), {"first_name": "X"}),
        ("post", reverse("modules:participant_reveal", args=[pk]), {}),
        ("post", reverse("modules:participant_export", args=[pk]), {}),
        ("get", reverse("modules:participant_enrol", args=[pk]), None),
        ("post", reverse("modules:participant_enrol", args=[pk]), {"module": world["module"].pk}),
        ("get", reverse("modules:enrolment_withdraw", args=[world["enrolment"].pk]), None),
        ("post", reverse("modules:enrolment_withdraw", args=[world["enrolment"].pk]), {}),
        ("get", reverse("modules:open_module_detail", args=[world["module"].pk]), None),
        (
            "post",
            reverse("modules:open_module_detail", args=[world["module"].pk]),
            {"participants": [world["other"].pk]},
        ),
    ]


def list_urls():
    return [
        ("get", reverse("modules:participant_list"), None),
        ("get", reverse("modules:participant_create"), None),
        ("get", reverse("modules:open_module_list"), None),
    ]


def request(client, method, url, data):
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


def assert_nothing_changed(world):
    world["enrolment"].refresh_from_db()
    assert world["enrolment"].status == "enrolled"
    assert Enrolment.objects.count() == 1
    assert not PersonalDataAccess.objects.exists()
    assert Participant.objects.filter(first_name="X").count() == 0


def test_caseworker_of_another_organisation_gets_404_on_every_client_url(
    client, caseworker_b, world
):
    client.force_login(caseworker_b)

    for method, url, data in client_urls(world):
        response = request(client, method, url, data)
        assert response.status_code == 404, (method, url)

    assert_nothing_changed(world)


def test_lists_and_searches_never_show_another_organisations_clients(client, caseworker_b, world):
    client.force_login(caseworker_b)

    clients = client.get(reverse("modules:participant_list")).content.decode()
    searched = client.get(reverse("modules:participant_list"), {"q": "Klant"}).content.decode()
    open_modules = client.get(reverse("modules:open_module_list")).content.decode()
    home = client.get(reverse("home")).content.decode()

    for page in (clients, searched, home):
        assert "Klant-van-A" not in page and "Tweede-van-A" not in page
    assert "Module van A" not in open_modules and "Module van A" not in home


@pytest.mark.parametrize("role", ["manager", "manager_a"])
def test_manager_gets_403_on_every_page_with_personal_data(client, request_fixture, role, world):
    client.force_login(request_fixture(role))

    for method, url, data in client_urls(world) + list_urls():
        response = request(client, method, url, data)
        assert response.status_code == 403, (method, url)

    assert_nothing_changed(world)


def test_staff_of_another_office_gets_404_for_a_client_not_in_their_modules(client, staff_b, world):
    client.force_login(staff_b)
    pk = world["participant"].pk

    assert client.get(reverse("modules:participant_detail", args=[pk])).status_code == 404
    assert client.post(reverse("modules:participant_export", args=[pk])).status_code == 404
    assert client.post(reverse("modules:participant_reveal", args=[pk])).status_code == 404
    listed = client.get(reverse("modules:participant_list")).content.decode()
    assert "Klant-van-A" not in listed
    assert not PersonalDataAccess.objects.exists()


def test_staff_cannot_change_clients_or_enrolments(client, staff_a, world):
    client.force_login(staff_a)
    pk = world["participant"].pk

    assert client.get(reverse("modules:participant_detail", args=[pk])).status_code == 200
    for method, url in [
        ("get", reverse("modules:participant_create")),
        ("get", reverse("modules:participant_edit", args=[pk])),
        ("get", reverse("modules:participant_enrol", args=[pk])),
        ("post", reverse("modules:enrolment_withdraw", args=[world["enrolment"].pk])),
        ("get", reverse("modules:open_module_list")),
    ]:
        assert getattr(client, method)(url).status_code == 403, url
    assert_nothing_changed(world)


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for method, url, data in client_urls(world) + list_urls():
        response = request(client, method, url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")


def test_caseworker_of_the_organisation_reaches_every_client_url(client, caseworker_a, world):
    """The counterpart of the 404 test: the URLs exist and work for the right user."""
    client.force_login(caseworker_a)

    for method, url, data in client_urls(world):
        if method == "get":
            assert client.get(url).status_code == 200, url


@pytest.fixture
def request_fixture(request):
    return request.getfixturevalue
