"""Personal API tokens: made and revoked on the account page, shown once, stored hashed,
expiring, with a last-used time, and rate-limited per token."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken, hash_secret
from api.services import create_api_token
from api.throttling import PerTokenRateThrottle
from tests.api.utils import token_client

MODULES = "/api/v1/modules/"


def test_a_token_is_shown_once_and_stored_only_as_a_hash(client, staff_a):
    client.force_login(staff_a)

    created = client.post(reverse("api:token_create"), {"name": "Planning-koppeling", "days": 90})
    first = client.get(reverse("account"))
    second = client.get(reverse("account"))

    assert created.status_code == 302
    assert created["Location"] == "/account/#api-tokens"
    token = ApiToken.objects.get()
    sections = {section["anchor"]: section for section in first.context["sections"]}
    secret = sections["api-tokens"]["data"]["new_token"]["secret"]
    assert secret.startswith("pw_") and len(secret) > 40
    assert secret in first.content.decode()
    assert secret not in second.content.decode()
    assert "no-store" in first["Cache-Control"]
    assert token.key_hash == hash_secret(secret)
    assert secret not in str(list(ApiToken.objects.values()))
    assert "Planning-koppeling" in second.content.decode()
    assert token.prefix in second.content.decode()
    assert secret not in str(client.session.items())


def test_a_token_authenticates_as_its_user_and_notes_when_it_was_used(staff_a):
    api = token_client(staff_a)

    with time_machine.travel(
        datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        response = api.get(MODULES)

    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at == datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("header", ["Bearer pw_unknown", "Bearer", "Bearer a b", "Bearer ƒ"])
def test_a_bad_token_is_a_401_with_a_json_message(db, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)

    response = api.get(MODULES)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["detail"]


def test_without_credentials_the_api_answers_401_not_a_login_page(db):
    response = APIClient().get(MODULES)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"


def test_an_expired_or_revoked_token_stops_working(staff_a, client):
    expiring = token_client(staff_a, days=1)
    revoked = token_client(staff_a)
    token = ApiToken.objects.get(key_hash=hash_secret(revoked.secret))
    client.force_login(staff_a)

    client.post(reverse("api:token_revoke", args=[token.pk]))
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)):
        expired = expiring.get(MODULES)

    assert revoked.get(MODULES).status_code == 401
    assert expired.status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.order_by("-history_id").first().history_user == staff_a


def test_an_inactive_users_token_stops_working(staff_a):
    api = token_client(staff_a)
    staff_a.is_active = False
    staff_a.save()

    assert api.get(MODULES).status_code == 401


def test_nobody_revokes_or_sees_another_users_token(client, staff_a, staff_b):
    _token, secret = create_api_token(user=staff_a, name="Van A", days=30)
    token = ApiToken.objects.get()
    client.force_login(staff_b)

    refused = client.post(reverse("api:token_revoke", args=[token.pk]))
    page = client.get(reverse("account")).content.decode()

    assert refused.status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert "Van A" not in page and token.prefix not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "days": 90}, "Naam: Dit veld is vereist."),
        ({"name": "x", "days": 9999}, "Geldig voor: Selecteer een geldige keuze."),
    ],
)
def test_a_bad_token_form_makes_nothing_and_says_why(client, staff_a, data, message):
    client.force_login(staff_a)

    response = client.post(reverse("api:token_create"), data, follow=True)

    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_user_without_a_role_gets_no_token(client, db):
    from tests.factories import UserFactory

    nobody = UserFactory(username="zonder_rol")
    client.force_login(nobody)

    response = client.post(reverse("api:token_create"), {"name": "x", "days": 30}, follow=True)

    assert "geen rol" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_rate_limits_count_per_token(staff_a, monkeypatch):
    monkeypatch.setattr(PerTokenRateThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    busy, quiet = token_client(staff_a), token_client(staff_a)

    codes = [busy.get(MODULES).status_code for _ in range(4)]
    limited = busy.get(MODULES)

    assert codes == [200, 200, 200, 429]
    assert limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    assert quiet.get(MODULES).status_code == 200


def test_the_browser_session_works_for_the_api_and_needs_csrf_for_writes(caseworker_a):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(caseworker_a)

    read = browser.get("/api/v1/clients/")
    write = browser.post("/api/v1/clients/", {}, format="json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]
