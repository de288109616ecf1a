"""In a real browser, with axe-core: the lockout page after five wrong passwords, and the
two-step login's set-up, recovery codes and verification pages (issue 8)."""

import base64
import time

import pytest
from django_otp.oath import TOTP

pytestmark = pytest.mark.e2e


def _submit_login(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _code(secret: str, at: float) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = at
    return f"{totp.token():06d}"


def test_five_wrong_passwords_show_the_lockout_page_which_passes_axe(
    page, staff_a, assert_accessible
):
    for _ in range(5):
        _submit_login(page, "staff_a", "verkeerd")

    assert "te vaak" in page.locator("main").inner_text()
    assert_accessible(page)

    _submit_login(page, "staff_a", "pw")
    assert "/accounts/login/" in page.url and "te vaak" in page.locator("main").inner_text()


def test_two_step_login_from_setup_to_a_later_login_passes_axe(
    page, settings, staff_a, assert_accessible, live_server
):
    settings.MFA_REQUIRED = True

    _submit_login(page, "staff_a", "pw")
    assert "/account/two-factor/setup/" in page.url
    assert page.locator("img.pw-qr").count() == 1
    assert_accessible(page)

    secret = page.locator(".pw-secret").inner_text()
    page.fill("#id_token", _code(secret, time.time()))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    codes = page.locator(".pw-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main a.btn-primary")
    assert page.url == f"{live_server.url}/"

    page.context.clear_cookies()
    _submit_login(page, "staff_a", "pw")
    assert "/account/two-factor/verify/" in page.url
    assert_accessible(page)
    page.fill("#id_token", "000000")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".invalid-feedback, .alert-danger").count() >= 1
    assert_accessible(page)

    time.sleep(2)  # a wrong code makes the next try wait a second (django-otp throttling)
    page.fill("#id_token", codes[0])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}/"
