"""Who may use the planning screens: staff of the module's office (and admins). Staff of
another office get 404 on every URL of office A's records; caseworkers and managers 403."""

import pytest
from django.urls import reverse

from modules.models import Attendance, Enrolment, Module, Session
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def records_a(partnership_a):
    module = f.ModuleFactory(partnership=partnership_a, title="Module van kantoor A")
    session = f.SessionFactory(module=module)
    held = f.SessionFactory(module=module, status=Session.Status.HELD)
    enrolment = f.EnrolmentFactory(module=module)
    completed = f.EnrolmentFactory(module=module, status=Enrolment.Status.COMPLETED)
    return {
        "module": module,
        "session": session,
        "held": held,
        "enrolment": enrolment,
        "completed": completed,
    }


def object_urls(r):
    m, s, c = r["module"].pk, r["session"].pk, r["completed"].pk
    return [
        reverse("modules:module_detail", args=[m]),
        reverse("modules:module_edit", args=[m]),
        reverse("modules:module_cancel", args=[m]),
        reverse("modules:module_close", args=[m]),
        reverse("modules:session_add", args=[m]),
        reverse("modules:session_generate", args=[m]),
        reverse("modules:session_edit", args=[s]),
        reverse("modules:session_move", args=[s]),
        reverse("modules:session_cancel", args=[s]),
        reverse("modules:attendance", args=[s]),
        reverse("modules:certificate", args=[c]),
    ]


def all_urls(r):
    return [
        reverse("modules:module_list"),
        reverse("modules:module_create"),
        *object_urls(r),
    ]


def test_staff_of_another_office_gets_404_on_every_get(client, staff_b, records_a):
    client.force_login(staff_b)
    for url in object_urls(records_a):
        assert client.get(url).status_code == 404, url


def test_staff_of_another_office_gets_404_on_every_post_and_changes_nothing(
    client, staff_b, records_a
):
    client.force_login(staff_b)
    data = {
        "reason": "weg",
        "date": "2026-12-01",
        "start_time": "09:00",
        "end_time": "10:00",
        "title": "Gekaapt",
        f"mark_{records_a['enrolment'].pk}": "present",
    }
    read_only = {
        reverse("modules:module_detail", args=[records_a["module"].pk]),
        reverse("modules:certificate", args=[records_a["completed"].pk]),
    }
    for url in object_urls(records_a):
        if url not in read_only:
            assert client.post(url, data).status_code == 404, url
    module = Module.objects.get(pk=records_a["module"].pk)
    assert (module.status, module.title) == (Module.Status.OPEN, "Module van kantoor A")
    assert module.sessions.count() == 2
    assert not Attendance.objects.exists()


def test_module_list_excludes_other_offices(client, staff_b, records_a, partnership_b):
    f.ModuleFactory(partnership=partnership_b, title="Module van kantoor B")
    client.force_login(staff_b)
    response = client.get(reverse("modules:module_list"))
    assert [m.title for m in response.context["modules"]] == ["Module van kantoor B"]


def test_module_form_offers_only_own_office_agreements(client, staff_b, partnership_a):
    client.force_login(staff_b)
    response = client.get(reverse("modules:module_create"))
    choices = response.context["form"].fields["partnership"].queryset
    assert partnership_a not in choices


@pytest.mark.parametrize("who", ["caseworker_a", "manager", "manager_a"])
def test_caseworkers_and_managers_get_403(client, request, records_a, who):
    client.force_login(request.getfixturevalue(who))
    for url in all_urls(records_a):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_anonymous_is_sent_to_login(client, records_a):
    response = client.get(reverse("modules:module_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_admin_sees_every_office(client, admin, records_a, partnership_b):
    f.ModuleFactory(partnership=partnership_b)
    client.force_login(admin)
    assert client.get(reverse("modules:module_list")).context["paginator"].count == 2
    for url in object_urls(records_a):
        assert client.get(url).status_code in (200, 302), url
