# The module lists are newest first (Module.Meta.ordering): docs/performance.md, round 6.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0013_report_lead_partner_fill"),
        ("partnerships", "0003_unique_and_constraint_messages"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="module",
            index=models.Index(
                models.OrderBy(models.F("created_at"), descending=True),
                models.F("title"),
                name="module_newest_first",
            ),
        ),
    ]
