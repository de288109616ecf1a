"""Fill each attendance row's lead partner (issue 10) by rebuilding the rollup.

Its own migration, after 0012 has created the column, its foreign key and its index: on
PostgreSQL those are created at the end of 0012's transaction, and creating them after rows
were written in the same transaction fails ("pending trigger events")."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from modules.services import rollup

    rollup.rebuild(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0012_report_lead_partner"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
