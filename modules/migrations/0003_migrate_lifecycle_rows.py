"""Bring existing rows under the rules of issue 9, then let the database hold them.

1. A session can only be held on or after its date: sessions marked held with a date after
   today (Brussels) go back to planned; their attendance rows stay, pre-filled for the day.
   A module closed on such sessions is reopened (its outcomes go back to enrolled), because
   its completions were decided on sessions that had not happened.
2. Every module that is not closed or cancelled gets the status its sessions call for
   (first held → running, none planned and one held → finished), and enrolment_open
   follows the status: an "open" module with enrolment closed becomes planned (nobody
   could enrol into it), enrolment is closed in every status but open and running.
3. A no-show who was present at a held session becomes not_completed.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

OUTCOMES = ("completed", "not_completed", "no_show")


def forwards(apps, schema_editor):
    Module = apps.get_model("modules", "Module")
    Session = apps.get_model("modules", "Session")
    Enrolment = apps.get_model("modules", "Enrolment")
    Attendance = apps.get_model("modules", "Attendance")
    today = timezone.localdate()

    future_held = Session.objects.filter(status="held", date__gt=today)
    reopened = set(
        Module.objects.filter(status="completed", sessions__in=future_held).values_list(
            "pk", flat=True
        )
    )
    future_held.update(status="planned")
    Enrolment.objects.filter(module_id__in=reopened, status__in=OUTCOMES).update(
        status="enrolled", completed_at=None
    )
    Module.objects.filter(pk__in=reopened).update(status="running", enrolment_open=False)

    for module in Module.objects.exclude(status__in=("completed", "cancelled")).iterator():
        sessions = Session.objects.filter(module_id=module.pk)
        held = sessions.filter(status="held").exists()
        planned = sessions.filter(status="planned").exists()
        status, enrolment_open = module.status, module.enrolment_open
        if held and not planned:
            status = "finished"
        elif held:
            status = "running"
        elif status == "open" and not enrolment_open:
            status = "planned"
        elif status == "running":  # running without a held session: not started after all
            status = "open" if enrolment_open else "planned"
        if status == "open":
            enrolment_open = True
        elif status != "running":
            enrolment_open = False
        if (status, enrolment_open) != (module.status, module.enrolment_open):
            Module.objects.filter(pk=module.pk).update(status=status, enrolment_open=enrolment_open)
    Module.objects.filter(status__in=("completed", "cancelled")).update(enrolment_open=False)

    present = Attendance.objects.filter(
        enrolment=OuterRef("pk"), status="present", session__status="held"
    )
    Enrolment.objects.filter(Q(status="no_show"), Exists(present)).update(status="not_completed")


class Migration(migrations.Migration):
    dependencies = [("modules", "0002_module_lifecycle_and_not_completed")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="module",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("enrolment_open", True), ("status", "open")),
                    ("status", "running"),
                    models.Q(
                        models.Q(("status__in", ["open", "running"]), _negated=True),
                        ("enrolment_open", False),
                    ),
                    _connector="OR",
                ),
                name="module_enrolment_open_fits_status",
                violation_error_message="Enrolment is open exactly when the module is open for enrolment (or, if staff choose so, while it runs).",
            ),
        ),
    ]
