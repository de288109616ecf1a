"""Two-step login (issue 8, ASVS level 2): with MFA_REQUIRED on, administrators, staff and
caseworkers set up an authenticator app after their password and reach no other page
before; then every login asks for its code (or a one-time recovery code). Managers may opt
in. MFA_REQUIRED is on by default with DEBUG off, off with DEBUG on (the demo)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from modules.models import Module
from tests.security.test_access_matrix import EXPECTED, PUBLIC, named_patterns, url_for

T0 = datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def mfa_on(settings):
    settings.MFA_REQUIRED = True


def login(client, username, password="pw"):
    return client.post(reverse("login"), {"username": username, "password": password})


def code_for(device: TOTPDevice, at: datetime.datetime) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def set_up(client, username, at=T0) -> list[str]:
    """Log in with the password and set up the app; returns the recovery codes shown."""
    with time_machine.travel(at, tick=False):
        login(client, username)
        client.get(reverse("twofactor:setup"))
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        page = client.post(reverse("twofactor:setup"), {"token": code_for(device, at)})
    assert page.status_code == 200, page.status_code
    return re.findall(r"<li>([a-z2-7]{8})</li>", page.content.decode())


@pytest.mark.parametrize("role", ["staff_a", "caseworker_a", "admin"])
def test_after_the_password_a_user_without_an_app_is_led_to_set_one_up(
    client, request, role, qa_world
):
    user = request.getfixturevalue(role)

    response = login(client, user.username)
    followed = client.get(response["Location"])

    assert response.status_code == 302
    assert followed.status_code == 302
    assert followed["Location"].startswith(reverse("twofactor:setup"))


def test_before_the_setup_no_other_page_opens_and_nothing_changes(
    client, staff_a, caseworker_a, qa_world
):
    opened = []
    for user in (staff_a, caseworker_a):
        client.logout()
        login(client, user.username)
        for name in named_patterns():
            if EXPECTED[name][0] == PUBLIC or name.startswith("twofactor:"):
                continue  # open to everyone, or the way to the second step itself
            url = url_for(name, qa_world)
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"reason": "x"})
                if not (
                    response.status_code == 302
                    and response["Location"].startswith(reverse("twofactor:setup"))
                ):
                    opened.append((user.username, method, name, response.status_code))
        for url in ("/", "/admin/", "/admin/modules/participant/"):
            response = client.get(url)
            if not response["Location"].startswith(reverse("twofactor:setup")):
                opened.append((user.username, "get", url, response.status_code))

    assert opened == []
    assert Module.objects.get(pk=qa_world["module"].pk).status != "cancelled"


def test_the_setup_page_shows_a_qr_code_and_the_key_and_refuses_a_wrong_code(client, staff_a):
    login(client, staff_a.username)

    page = client.get(reverse("twofactor:setup"))
    wrong = client.post(reverse("twofactor:setup"), {"token": "000000"})

    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=staff_a)
    assert device.confirmed is False
    assert " ".join(re.findall(r'class="pw-secret">([A-Z2-7 ]+)<', html)).replace(" ", "")
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get("/").status_code == 302


def test_setting_up_shows_ten_recovery_codes_and_opens_the_app(client, staff_a):
    codes = set_up(client, "staff_a")

    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    with time_machine.travel(T0, tick=False):
        assert client.get("/").status_code == 200


def test_every_later_login_asks_for_the_apps_code(client, staff_a):
    set_up(client, "staff_a")
    client.logout()
    device = TOTPDevice.objects.get(user=staff_a, confirmed=True)
    later = T0 + datetime.timedelta(minutes=5)

    with time_machine.travel(later, tick=False):
        response = login(client, "staff_a")
        home = client.get("/")
        wrong = client.post(reverse("twofactor:verify"), {"token": "123456", "next": "/"})
        still_closed = client.get(reverse("modules:module_list"))
    # A wrong code makes the next try wait a moment (django-otp's throttling).
    with time_machine.travel(later + datetime.timedelta(seconds=5), tick=False):
        right = client.post(
            reverse("twofactor:verify"), {"token": code_for(device, later), "next": "/modules/"}
        )
        opened = client.get(reverse("modules:module_list"))

    assert response.status_code == 302
    assert home["Location"].startswith(reverse("twofactor:verify"))
    assert wrong.status_code == 200 and wrong.context["form"].errors["token"]
    assert still_closed.status_code == 302
    assert right.status_code == 302 and right["Location"] == "/modules/"
    assert opened.status_code == 200


def test_a_recovery_code_works_once(client, staff_a):
    codes = set_up(client, "staff_a")
    later = T0 + datetime.timedelta(minutes=5)

    with time_machine.travel(later, tick=False):
        client.logout()
        login(client, "staff_a")
        first = client.post(reverse("twofactor:verify"), {"token": codes[0].upper()})
        client.logout()
        login(client, "staff_a")
        again = client.post(reverse("twofactor:verify"), {"token": codes[0]})

    assert first.status_code == 302
    assert again.status_code == 200 and again.context["form"].errors
    assert StaticToken.objects.count() == 9


def test_a_setup_cannot_replace_an_app_without_its_code(client, staff_a):
    """Someone with only the password cannot add their own app to the account."""
    set_up(client, "staff_a")
    client.logout()
    login(client, "staff_a")

    response = client.get(reverse("twofactor:setup"))

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=staff_a).count() == 1
    assert client.get(reverse("twofactor:overview"))["Location"].startswith(
        reverse("twofactor:verify")
    )


def test_repeated_wrong_codes_are_slowed_down(client, staff_a):
    set_up(client, "staff_a")
    client.logout()
    login(client, "staff_a")
    device = TOTPDevice.objects.get(user=staff_a, confirmed=True)
    at = T0 + datetime.timedelta(minutes=5)

    with time_machine.travel(at, tick=False):
        for _ in range(3):
            client.post(reverse("twofactor:verify"), {"token": "111111"})
        right_but_throttled = client.post(
            reverse("twofactor:verify"), {"token": code_for(device, at)}
        )

    assert right_but_throttled.status_code == 200
    assert right_but_throttled.context["form"].errors["token"]


def test_a_manager_logs_in_without_a_second_step_and_may_opt_in(client, manager):
    response = login(client, "manager")
    assert client.get(response["Location"]).status_code == 200

    set_up(client, "manager")
    client.logout()
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        login(client, "manager")
        asked = client.get("/")

    assert asked["Location"].startswith(reverse("twofactor:verify"))


def test_a_manager_may_switch_it_off_but_staff_may_not(client, manager, staff_a):
    for user, stays_on in ((manager, False), (staff_a, True)):
        client.logout()
        set_up(client, user.username)
        with time_machine.travel(T0, tick=False):
            client.post(reverse("twofactor:disable"))
        assert TOTPDevice.objects.filter(user=user).exists() is stays_on


def test_new_recovery_codes_replace_the_old_ones(client, staff_a):
    old = set_up(client, "staff_a")

    with time_machine.travel(T0, tick=False):
        page = client.post(reverse("twofactor:recovery_codes"))

    new = re.findall(r"<li>([a-z2-7]{8})</li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_with_mfa_required_off_staff_log_in_with_the_password_only(client, settings, staff_a):
    settings.MFA_REQUIRED = False

    response = login(client, "staff_a")

    assert client.get(response["Location"]).status_code == 200


def test_the_next_address_after_the_second_step_stays_on_this_site(client, staff_a):
    set_up(client, "staff_a")
    client.logout()
    device = TOTPDevice.objects.get(user=staff_a, confirmed=True)
    at = T0 + datetime.timedelta(minutes=5)
    with time_machine.travel(at, tick=False):
        login(client, "staff_a")
        response = client.post(
            reverse("twofactor:verify"),
            {"token": code_for(device, at), "next": "https://evil.example/"},
        )

    assert response["Location"] == "/"
