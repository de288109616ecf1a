"""Lists forgive bad page numbers; error pages are friendly and in Dutch."""

import pytest
from django.test import override_settings

from tests import factories as f


@pytest.fixture
def thirty_modules(partnership_a):
    return [f.ModuleFactory(partnership=partnership_a) for _ in range(30)]


@pytest.mark.parametrize(
    ("page", "expected"),
    [("abc", "Pagina 1 van 2"), ("999999", "Pagina 2 van 2"), ("2", "Pagina 2 van 2")],
)
def test_a_bad_page_number_shows_the_nearest_page(client, staff_a, thirty_modules, page, expected):
    client.force_login(staff_a)
    response = client.get("/modules/", {"page": page})
    assert response.status_code == 200
    assert expected in response.text


@override_settings(DEBUG=False)
def test_not_found_page_is_friendly_and_dutch(client, staff_a):
    client.force_login(staff_a)
    response = client.get("/modules/999999/")
    assert response.status_code == 404
    assert "bestaat niet" in response.text
    assert "Partnerwerk" in response.text


@override_settings(DEBUG=False)
def test_forbidden_page_is_friendly_and_dutch(client, manager):
    client.force_login(manager)
    response = client.get("/clients/")
    assert response.status_code == 403
    assert "geen toegang" in response.text
