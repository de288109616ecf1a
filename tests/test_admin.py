"""The Django admin: every model registered, every page renders, changelists stay cheap."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Module
from partnerships.models import PartnerOrganisation
from tests import factories as f

APPS = ("partnerships", "modules")
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda m: m._meta.label,
)
# The access log is evidence; enrolments are made through the enrol service in the app.
ADDABLE = [m for m in REGISTERED if m._meta.model_name not in ("personaldataaccess", "enrolment")]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_both_apps_is_registered():
    from django.apps import apps

    models = [
        m
        for app in APPS
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical")
        # The report's rollup is derived data, kept by the services: nothing to edit.
        and m.__name__
        not in ("ReportAttendanceYear", "ReportSessionYear", "ReportModuleEnrolments")
    ]
    missing = [m._meta.label for m in models if m not in admin.site._registry]
    assert missing == []


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo data, seeded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", "--force", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def admin_client_seeded(seeded, db, client):
    from partnerships.models import User

    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_renders_for_superuser_on_demo_data(admin_client_seeded, model):
    response = admin_client_seeded.get(_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ADDABLE, ids=lambda m: m._meta.label)
def test_add_page_renders_for_superuser(admin_client_seeded, model):
    response = admin_client_seeded.get(_url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_change_page_renders_for_superuser_on_demo_data(admin_client_seeded, model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"seed_demo creates no {model._meta.label}"
    response = admin_client_seeded.get(_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(admin_client_seeded, model, monkeypatch):
    model_admin = admin.site._registry[model]
    counts = {}
    for per_page in (3, 30):
        monkeypatch.setattr(model_admin, "list_per_page", per_page)
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client_seeded.get(_url(model, "changelist"))
        assert response.status_code == 200
        counts[per_page] = len(ctx.captured_queries)
    assert counts[3] == counts[30], counts
    assert counts[30] <= 20, counts


def test_participant_changelist_never_shows_national_register_number(admin_client_seeded):
    from modules.models import Participant

    participant = Participant.objects.exclude(national_register_number=None).first()
    response = admin_client_seeded.get(_url(Participant, "changelist") + "?all=")
    body = response.content.decode()
    assert participant.last_name in body
    assert participant.national_register_number not in body


def test_history_page_renders_for_module(admin_client_seeded):
    module = Module.objects.first()
    response = admin_client_seeded.get(_url(Module, "history", module.pk))
    assert response.status_code == 200


def test_admin_refuses_to_delete_partner_with_partnerships(client, admin):
    partnership = f.PartnershipFactory()
    partner = partnership.lead_partner
    client.force_login(admin)

    response = client.post(_url(PartnerOrganisation, "delete", partner.pk), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]  # Django lists what protects the partner
    assert PartnerOrganisation.objects.filter(pk=partner.pk).exists()


def test_admin_refuses_to_delete_module_with_enrolments(client, admin):
    enrolment = f.EnrolmentFactory()
    client.force_login(admin)

    response = client.post(_url(Module, "delete", enrolment.module.pk), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert Module.objects.filter(pk=enrolment.module.pk).exists()


def test_admin_bulk_delete_action_refuses_protected_partner(client, admin):
    partnership = f.PartnershipFactory()
    client.force_login(admin)

    client.post(
        _url(PartnerOrganisation, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [partnership.lead_partner.pk],
            "post": "yes",
        },
    )

    assert PartnerOrganisation.objects.filter(pk=partnership.lead_partner.pk).exists()


def test_personal_data_access_log_is_read_only(client, admin):
    from modules.models import PersonalDataAccess

    participant = f.ParticipantFactory()
    entry = PersonalDataAccess.objects.create(
        participant=participant, user=admin, action=PersonalDataAccess.Action.EXPORT
    )
    client.force_login(admin)

    assert client.get(_url(PersonalDataAccess, "add")).status_code == 403
    assert client.get(_url(PersonalDataAccess, "change", entry.pk)).status_code == 200
    client.post(_url(PersonalDataAccess, "delete", entry.pk), {"post": "yes"})
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()


def test_partner_search_finds_enterprise_number_typed_with_dots(client, admin):
    partner = f.PartnerOrganisationFactory(enterprise_number="0403019261", name="Gezocht vzw")
    f.PartnerOrganisationFactory(name="Ander vzw")
    client.force_login(admin)

    response = client.get(_url(PartnerOrganisation, "changelist"), {"q": "0403.019.261"})

    assert list(response.context["cl"].result_list) == [partner]


def test_participant_search_does_not_match_national_register_numbers(client, admin):
    from modules.models import Participant

    f.ParticipantFactory(national_register_number="85073003328", last_name="Haddad")
    client.force_login(admin)

    response = client.get(_url(Participant, "changelist"), {"q": "85073003328"})

    assert list(response.context["cl"].result_list) == []
