"""The admin must not bypass the rules (issue 8): an enrolment's status and waiting-list
position change only through the enrol, withdraw and capacity services (with their module
lock), and the admin counts a module's places with the app's `taken_places`."""

import pytest
from django.urls import reverse

from modules.models import Enrolment
from modules.queries import taken_places
from tests import factories as f


def _url(model: str, view: str, *args) -> str:
    return reverse(f"admin:modules_{model}_{view}", args=args)


@pytest.fixture
def full_module(partnership_a):
    module = f.ModuleFactory(partnership=partnership_a, capacity=2, title="Volle module")
    f.EnrolmentFactory(module=module, status=Enrolment.Status.ENROLLED)
    f.EnrolmentFactory(module=module, status=Enrolment.Status.COMPLETED)
    waiting = f.EnrolmentFactory(
        module=module, status=Enrolment.Status.WAITLISTED, waitlist_position=1
    )
    return module, waiting


def test_an_enrolments_status_and_position_cannot_be_changed_in_the_admin(
    client, admin, full_module
):
    module, waiting = full_module
    client.force_login(admin)
    url = _url("enrolment", "change", waiting.pk)

    page = client.get(url).content.decode()
    client.post(
        url,
        {
            "participant": waiting.participant_id,
            "module": module.pk,
            "status": "enrolled",
            "waitlist_position": "",
            "withdrawal_reason": "",
        },
    )

    assert 'name="status"' not in page and 'name="waitlist_position"' not in page
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == ("waitlisted", 1)
    assert taken_places(module.pk) == 2


def test_enrolments_are_not_added_or_deleted_in_the_admin(client, admin, full_module):
    module, waiting = full_module
    client.force_login(admin)

    assert client.get(_url("enrolment", "add")).status_code == 403
    client.post(_url("enrolment", "delete", waiting.pk), {"post": "yes"})

    assert Enrolment.objects.filter(pk=waiting.pk).exists()


def test_the_module_page_in_the_admin_shows_enrolments_read_only(client, admin, full_module):
    module, _waiting = full_module
    client.force_login(admin)

    page = client.get(_url("module", "change", module.pk)).content.decode()

    assert 'name="enrolments-0-status"' not in page
    assert 'name="enrolments-0-waitlist_position"' not in page
    assert 'name="enrolments-TOTAL_FORMS"' not in page or 'value="0"' in page


def test_the_admin_counts_taken_places_like_the_app(client, admin, full_module):
    module, _waiting = full_module
    client.force_login(admin)

    response = client.get(_url("module", "changelist"))

    (row,) = [m for m in response.context["cl"].result_list if m.pk == module.pk]
    assert row.taken == taken_places(module.pk) == 2
    assert "2 / 2" in response.content.decode()
