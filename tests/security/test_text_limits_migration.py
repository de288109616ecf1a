"""The migration that adds the text limits cuts existing over-long text first, so that a
database holding issue 8's 1.5 MB of notes still migrates (SQLite and PostgreSQL)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("partnerships", "0001_initial"), ("modules", "0002_personal_data_access_number_match")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_cuts_overlong_notes_to_the_new_maximum():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    partner = old_apps.get_model("partnerships", "PartnerOrganisation").objects.create(
        name="Veel notities", kind="ocmw", enterprise_number="0403019261", notes="n" * 1_500_000
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from partnerships.models import TEXT_MAX_LENGTH, PartnerOrganisation

    assert PartnerOrganisation.objects.get(pk=partner.pk).notes == "n" * TEXT_MAX_LENGTH
