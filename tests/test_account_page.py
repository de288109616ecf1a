"""The account page (/account/): every role has one, with its sections; nothing of others."""

import pytest
from django.urls import reverse

from api.services import create_api_token, create_calendar_feed
from integratie.account import SECTIONS


def test_anonymous_visitors_go_to_the_login_page(client, db):
    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/")


@pytest.mark.parametrize("actor", ["staff_a", "caseworker_a", "manager", "admin"])
def test_every_role_sees_its_account_with_all_sections(client, request, actor):
    user = request.getfixturevalue(actor)
    client.force_login(user)

    response = client.get(reverse("account"))

    assert response.status_code == 200
    page = response.content.decode()
    for section in SECTIONS:
        assert f'id="{section.anchor}"' in page
        assert f'href="#{section.anchor}"' in page
    assert user.username in page
    assert reverse("password_change") in page
    assert 'href="/account/"' in page  # the menu links to it


def test_the_page_lists_only_the_users_own_token_and_feed(client, staff_a, staff_b):
    create_api_token(user=staff_b, name="Token van B", days=30)
    feed, _secret = create_calendar_feed(user=staff_b)
    client.force_login(staff_a)

    page = client.get(reverse("account")).content.decode()

    assert "Token van B" not in page
    assert feed.prefix not in page
    assert "Je hebt geen API-tokens." in page
    assert "Mijn agenda-adres maken" in page


def test_a_manager_is_told_there_is_no_calendar(client, manager):
    client.force_login(manager)

    page = client.get(reverse("account")).content.decode()

    assert "Er is geen agenda-feed voor jouw rol." in page
    assert reverse("api:calendar_create") not in page
