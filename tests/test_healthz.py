"""/healthz (issue 10): no login, no personal data; 503 when a migration is pending or the
database does not answer."""

from unittest import mock

import pytest

from tests import factories as f


@pytest.mark.django_db
def test_healthy_without_login_and_without_personal_data(client):
    f.ParticipantFactory(last_name="Healthcheckvanhoven")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert b"Healthcheckvanhoven" not in response.content
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_pending_migration_is_unhealthy(client):
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        return_value=[("modules", "9999_not_applied")],
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "migrations pending"}


@pytest.mark.django_db
def test_database_down_is_unhealthy(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=RuntimeError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}


@pytest.mark.django_db
def test_only_reads(client):
    assert client.post("/healthz").status_code == 405
