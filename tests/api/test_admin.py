"""The api app in the Django admin: every model is there, its pages render and stay cheap,
and no secret or pending personal data is shown."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken, ClientImport, IdempotentRequest
from api.services import create_api_token, create_calendar_feed, remember_answer
from tests import factories as f

MODELS = [
    m for m in apps.get_app_config("api").get_models() if not m.__name__.startswith("Historical")
]


def url(model, view, *args):
    return reverse(f"admin:api_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def objects(staff_a, caseworker_a, organisation_a):
    create_api_token(user=staff_a, name="Koppeling", days=30)
    create_calendar_feed(user=staff_a)
    ClientImport.objects.create(
        user=caseworker_a,
        organisation=organisation_a,
        file_format="csv",
        rows=[{"line": 2, "name": "Geheime Naam"}],
    )
    remember_answer(user=caseworker_a, key="k", fingerprint="f", status_code=201, response={})


def test_every_model_is_registered():
    assert [m for m in MODELS if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_pages_render_without_secrets_and_nothing_is_added_by_hand(client, admin, objects, model):
    client.force_login(admin)
    obj = model.objects.first()

    changelist = client.get(url(model, "changelist"))
    change = client.get(url(model, "change", obj.pk))

    assert changelist.status_code == change.status_code == 200
    assert client.get(url(model, "add")).status_code == 403
    for page in (changelist, change):
        html = page.content.decode()
        if hasattr(obj, "key_hash"):
            assert obj.key_hash not in html
        assert "Geheime Naam" not in html


@pytest.mark.parametrize("model", [ApiToken, ClientImport, IdempotentRequest], ids=str)
def test_changelists_need_no_more_queries_for_more_rows(
    client, admin, objects, model, caseworker_a
):
    client.force_login(admin)
    with CaptureQueriesContext(connection) as few:
        client.get(url(model, "changelist"))
    for n in range(5):
        user = f.UserFactory(username=f"extra{n}")
        f.MembershipFactory(
            user=user,
            role="caseworker",
            office=None,
            organisation=caseworker_a.membership.organisation,
        )
        create_api_token(user=user, name=f"T{n}", days=30)
        ClientImport.objects.create(
            user=user, organisation=caseworker_a.membership.organisation, file_format="csv"
        )
        remember_answer(user=user, key="k", fingerprint="f", status_code=201, response={})
    with CaptureQueriesContext(connection) as many:
        client.get(url(model, "changelist"))

    assert len(many) == len(few)


def test_an_administrator_revokes_a_token(client, admin, staff_a):
    token, secret = create_api_token(user=staff_a, name="Lek", days=30)
    client.force_login(admin)

    response = client.post(
        url(ApiToken, "change", token.pk),
        {
            "expires_at_0": "2030-01-01",
            "expires_at_1": "00:00:00",
            "revoked_at_0": "2026-11-29",
            "revoked_at_1": "10:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    token.refresh_from_db()
    assert token.revoked_at is not None
