"""`manage.py seed_demo`: believable, deterministic demo data (see `integratie/demo/`).

The whole data set is first *planned* in memory from a fixed random seed, then written:
every record is looked up by a natural key and only what is missing is created, so running
the command twice changes nothing the second time. All of it in one transaction.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from integratie.demo.data import DEMO_ACCOUNTS
from integratie.demo.planner import Planner
from integratie.demo.writer import Writer
from modules.models import Module, Session
from partnerships.models import Office, PartnerOrganisation, Partnership


class Command(BaseCommand):
    help = "Create the demo data set and the demo accounts (password 'demo'). Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has offices (used by `make run`).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The reference date the data is planned around, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates accounts with the "
                "password 'demo'. Use --force if this really is a demo or test server."
            )
        if options["if_empty"] and Office.objects.exists():
            if options["verbosity"]:
                self.stdout.write("Demo data skipped: the database already has offices.")
            return
        plan = Planner(options["today"] or timezone.localdate()).plan()
        with transaction.atomic():
            Writer(plan).write()
        if options["verbosity"]:
            self.report()

    def report(self) -> None:
        counts = ", ".join(
            f"{model._meta.verbose_name_plural}: {model.objects.count()}"
            for model in (Office, PartnerOrganisation, Partnership, Module, Session)
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({counts})."))
        self.stdout.write("Demo accounts (password: demo):")
        for username, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {description}")
