"""Issue 8, finding 6: a page with a revealed national register number could be cached.
Every response to a logged-in user carries `Cache-Control: no-store, private`."""

import pytest
from django.urls import reverse

from tests.security.test_personal_data import crawl


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_the_page_with_a_revealed_number_is_not_stored(client, caseworker_a, qa_world):
    participant = qa_world["participant"]
    client.force_login(caseworker_a)
    client.post(reverse("modules:participant_reveal", args=[participant.pk]))

    response = client.get(reverse("modules:participant_detail", args=[participant.pk]))

    assert response.status_code == 200
    assert _no_store(response), response.get("Cache-Control")


@pytest.mark.parametrize("role", ["staff_a", "caseworker_a", "manager"])
def test_every_page_a_logged_in_user_reaches_is_not_stored(client, request, role, qa_world):
    client.force_login(request.getfixturevalue(role))
    pages = [url for url in crawl(client) if not url.startswith("redirect ")]
    assert len(pages) >= 3

    stored = [url for url in pages if not _no_store(client.get(url))]
    report = reverse("modules:yearly_report")
    for export in ("csv", "xlsx"):
        response = client.get(report, {"export": export})
        if response.status_code == 200 and not _no_store(response):
            stored.append(f"{report}?export={export}")
    assert stored == []


def test_redirects_and_errors_to_logged_in_users_are_not_stored(client, staff_b, qa_world):
    client.force_login(staff_b)

    missing = client.get(reverse("modules:participant_detail", args=[qa_world["participant"].pk]))
    redirect = client.post(reverse("modules:participant_reveal", args=[qa_world["participant"].pk]))

    assert missing.status_code == 404 and _no_store(missing)
    assert redirect.status_code == 404 and _no_store(redirect)
