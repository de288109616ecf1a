"""The Django admin's empty choices read "Kies …" (forms, action list) or "Alle" (filters),
never "---------" (issue 13), on every add page, change page and changelist in Dutch."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.test_admin import seeded  # noqa: F401  (the demo data, seeded once)

DASHES = "---------"


@pytest.fixture
def dutch_admin(seeded, db, client):  # noqa: F811
    from partnerships.models import User

    client.force_login(User.objects.get(username="admin"))
    client.cookies["django_language"] = "nl"
    return client


def test_no_dashes_as_empty_choice_anywhere_in_the_admin(dutch_admin):
    pages = []
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"admin:{info}_changelist"))
        pages.append(reverse(f"admin:{info}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages.append(reverse(f"admin:{info}_change", args=[obj.pk]))
    with_dashes = []
    for url in pages:
        response = dutch_admin.get(url)
        if response.status_code != 200:
            continue  # add pages the admin refuses (read-only models): nothing to show
        html = response.content.decode()
        if DASHES in html:
            line = next(part for part in html.splitlines() if DASHES in part)
            with_dashes.append(f"{url}: {line.strip()[:120]}")
    assert with_dashes == [], "\n".join(with_dashes)
    assert len(pages) > 40


def test_the_module_form_starts_its_lists_with_kies(dutch_admin):
    html = dutch_admin.get(reverse("admin:modules_module_add")).content.decode()
    assert '<option value="" selected>Kies …</option>' in html
    changelist = dutch_admin.get(reverse("admin:modules_module_changelist")).content.decode()
    assert "Kies …" in changelist  # the action list
    assert "Alle" in changelist  # the filters
