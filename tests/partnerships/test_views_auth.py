"""Login, logout, password change and password reset at Django's standard URLs."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in response.text


def test_wrong_password_shows_message_and_stays_logged_out(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_staff_login_lands_on_staff_home(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "pw"})
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(response.url)
    assert "home_staff.html" in [t.name for t in home.templates]


def test_logout_by_post_ends_session(client, staff_a):
    client.force_login(staff_a)
    response = client.post(reverse("logout"))
    assert response.status_code in (200, 302)  # 302 when LOGOUT_REDIRECT_URL is set
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("partnerships:partner_list")).status_code == 302


def test_password_change(client, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "Zeer-geheim-2026!",
            "new_password2": "Zeer-geheim-2026!",
        },
    )
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.check_password("Zeer-geheim-2026!")


def test_password_reset_sends_email_with_working_link(client, staff_a):
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": staff_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_a.email]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200
    assert confirm.context["validlink"] is True
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Nieuw-wachtwoord-77", "new_password2": "Nieuw-wachtwoord-77"},
    )
    assert done.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.check_password("Nieuw-wachtwoord-77")


def test_password_reset_for_unknown_address_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "niemand@example.be"})
    assert response.status_code == 302
    assert mail.outbox == []
