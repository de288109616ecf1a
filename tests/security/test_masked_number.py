"""Issue 8, finding 2: with the date of birth on the page, the last digits of a masked
national register number left one digit to guess. No digit of the number is shown until a
(logged) reveal."""

import re

import pytest
from django.urls import reverse

from modules.models import PersonalDataAccess
from tests.security.conftest import NATIONAL_NUMBER


def _digits_of_the_number_field(html: str) -> str:
    """The text of the page's national-register-number row, tags stripped."""
    match = re.search(r"National register number|Rijksregisternummer", html)
    assert match, "the client page has no national register number row"
    row = html[match.end() : html.index("</dd>", match.end())]
    text = re.sub(r"<[^>]+>", " ", row)
    return "".join(ch for ch in text if ch.isdigit())


@pytest.mark.parametrize("role", ["caseworker_a", "staff_a", "admin"])
def test_the_client_page_shows_no_digit_of_the_number_before_a_reveal(
    client, request, role, qa_world
):
    client.force_login(request.getfixturevalue(role))
    url = reverse("modules:participant_detail", args=[qa_world["participant"].pk])

    html = client.get(url).content.decode()

    assert _digits_of_the_number_field(html) == ""
    for tail in (NATIONAL_NUMBER[-2:], NATIONAL_NUMBER[-4:-2] + "." + NATIONAL_NUMBER[-2:]):
        assert f"-•{tail}" not in html and f"•{tail}" not in html
    assert not PersonalDataAccess.objects.exists()


def test_the_edit_form_placeholder_shows_no_digit_of_the_stored_number(
    client, caseworker_a, qa_world
):
    client.force_login(caseworker_a)
    url = reverse("modules:participant_edit", args=[qa_world["participant"].pk])

    html = client.get(url).content.decode()

    (placeholder,) = re.findall(r'name="national_register_number"[^>]*placeholder="([^"]*)"', html)
    assert placeholder and not any(ch.isdigit() for ch in placeholder)


def test_a_reveal_shows_the_whole_number_once_and_is_recorded(client, caseworker_a, qa_world):
    participant = qa_world["participant"]
    client.force_login(caseworker_a)

    client.post(reverse("modules:participant_reveal", args=[participant.pk]))
    revealed = client.get(reverse("modules:participant_detail", args=[participant.pk]))
    again = client.get(reverse("modules:participant_detail", args=[participant.pk]))

    assert _digits_of_the_number_field(revealed.content.decode()) == NATIONAL_NUMBER
    assert _digits_of_the_number_field(again.content.decode()) == ""
    assert PersonalDataAccess.objects.filter(user=caseworker_a, action="reveal_nrn").count() == 1
