"""Issue 8, finding 3: 25 wrong passwords, then the right one logged in. django-axes locks a
user name from one address after 5 failures for 15 minutes, on /accounts/login/ and
/admin/login/ alike; a locked attempt is refused before the password hasher runs; the page
says so in Dutch without telling whether the user exists; logs and records hold no
password; an administrator unlocks in the admin."""

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.urls import reverse

from tests import factories as f

LOGIN_URLS = ["/accounts/login/", "/admin/login/"]
WRONG = "Fout-Wachtwoord-7731"
NOW = datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def person(db):
    return f.UserFactory(username="wout", is_staff=True, is_superuser=True)


def _try(client, url, username, password, address="192.0.2.10"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGIN_URLS)
@time_machine.travel(NOW, tick=False)
def test_five_failures_lock_the_user_even_for_the_right_password(client, person, url):
    answers = [_try(client, url, "wout", WRONG).status_code for _ in range(4)]
    locked = _try(client, url, "wout", WRONG)
    right = _try(client, url, "wout", "pw")

    assert answers == [200, 200, 200, 200]
    assert locked.status_code == 429
    assert right.status_code == 429
    assert not _logged_in(client)
    text = right.content.decode()
    assert "te vaak" in text and "15 minuten" in text
    assert "wout" not in text


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_the_lock_ends_after_15_minutes(client, person, url):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            _try(client, url, "wout", WRONG)
    with time_machine.travel(NOW + datetime.timedelta(minutes=14), tick=False):
        assert _try(client, url, "wout", "pw").status_code == 429
    with time_machine.travel(NOW + datetime.timedelta(minutes=31), tick=False):
        response = _try(client, url, "wout", "pw")
        assert response.status_code == 302 and _logged_in(client)


@time_machine.travel(NOW, tick=False)
def test_the_lock_is_per_user_and_address(client, person):
    other = f.UserFactory(username="mira")
    for _ in range(5):
        _try(client, "/accounts/login/", "wout", WRONG, address="192.0.2.10")

    from_elsewhere = _try(client, "/accounts/login/", "wout", "pw", address="198.51.100.7")
    client.logout()
    other_user = _try(client, "/accounts/login/", other.username, "pw", address="192.0.2.10")

    assert from_elsewhere.status_code == 302
    assert other_user.status_code == 302


@time_machine.travel(NOW, tick=False)
def test_an_unknown_user_gets_the_same_answers_as_a_known_one(client, person):
    def answers(username):
        return [
            (r.status_code, r.content.decode().count("alert"))
            for r in (_try(client, "/accounts/login/", username, WRONG) for _ in range(6))
        ]

    assert answers("wout") == answers("niemand-hier")


@time_machine.travel(NOW, tick=False)
def test_a_locked_attempt_never_reaches_the_password_hasher(client, person, monkeypatch):
    for _ in range(5):
        _try(client, "/accounts/login/", "wout", WRONG)
    calls = []
    for name in ("verify", "encode"):
        original = getattr(MD5PasswordHasher, name)
        monkeypatch.setattr(
            MD5PasswordHasher,
            name,
            lambda self, *a, _o=original, _n=name, **k: calls.append(_n) or _o(self, *a, **k),
        )

    for url in LOGIN_URLS:
        assert _try(client, url, "wout", "pw").status_code == 429
        assert _try(client, url, "niemand-hier", "pw").status_code == 200

    assert calls.count("verify") == 0, calls
    # The unknown user's attempts (not locked) do run the hasher, like a known user's: no
    # timing difference tells whether a user exists.
    assert calls.count("encode") == 2


@time_machine.travel(NOW, tick=False)
def test_no_password_in_the_logs_or_the_lockout_records(client, person, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(6):
        _try(client, "/accounts/login/", "wout", WRONG)
        _try(client, "/admin/login/", "wout", WRONG)

    assert "AXES" in caplog.text, "the attempts are logged"
    assert WRONG not in caplog.text
    for record in caplog.records:
        assert WRONG not in str(record.args)
    with connection.cursor() as cursor:
        for table in ("axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            assert WRONG not in str(cursor.fetchall()), table


@time_machine.travel(NOW, tick=False)
def test_an_administrator_unlocks_a_user_in_the_admin(client, person, admin):
    for _ in range(5):
        _try(client, "/accounts/login/", "wout", WRONG)
    attempt = AccessAttempt.objects.get(username="wout")
    assert _try(client, "/accounts/login/", "wout", "pw").status_code == 429

    client.force_login(admin)
    listed = client.get(reverse("admin:axes_accessattempt_changelist"))
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    client.logout()

    assert listed.status_code == 200 and "wout" in listed.content.decode()
    assert _try(client, "/accounts/login/", "wout", "pw").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.10"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    ],
)
def test_behind_trusted_proxies_the_lock_uses_the_clients_address(
    rf, settings, proxies, forwarded, expected
):
    from integratie.middleware import client_ip_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/accounts/login/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="192.0.2.10")

    assert client_ip_address(request) == expected
