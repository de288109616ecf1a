"""Recompute the report's rollup from the live data (issue 10). Idempotent: run it after
loading data with bulk_create (bench/generate.py, seed_demo) or whenever in doubt."""

from django.core.management.base import BaseCommand

from modules.services import rollup


class Command(BaseCommand):
    help = "Recompute the yearly report's rollup tables from attendance, sessions, enrolments."

    def handle(self, *args, **options):
        attendance_rows, session_rows = rollup.rebuild()
        enrolment_rows = rollup.rebuild_enrolments()
        self.stdout.write(
            f"Report rollup rebuilt: {attendance_rows} enrolment-year rows, "
            f"{session_rows} module-year rows, {enrolment_rows} module enrolment counts."
        )
