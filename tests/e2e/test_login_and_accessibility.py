"""In a real browser: logging in through the form, and WCAG 2.1 AA checks with axe-core."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.e2e


def test_staff_logs_in_through_the_form_and_lands_on_the_home_page(
    page, login, staff_a, live_server
):
    login(page, "staff_a")

    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").count() == 1
    assert "staff_a" in page.locator("nav").inner_text() or staff_a.get_full_name() in (
        page.locator("nav").inner_text()
    )


def test_wrong_password_keeps_the_user_on_the_login_page_with_a_message(page, login, staff_a):
    login(page, "staff_a", password="wrong")

    assert "/accounts/login/" in page.url
    assert page.locator(".alert, .invalid-feedback, .errorlist").count() >= 1


def test_login_page_has_no_accessibility_violations(page, assert_accessible):
    page.goto("/accounts/login/")

    assert_accessible(page)


def test_home_page_of_every_role_has_no_accessibility_violations(page, login, assert_accessible):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    failures = []
    for username in ("staff", "caseworker", "manager", "admin"):
        page.context.clear_cookies()
        login(page, username, password="demo")
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{username}: {error}")
    assert failures == [], "\n\n".join(failures)
