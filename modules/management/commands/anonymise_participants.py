"""Anonymise the personal data of clients without enrolment activity for N years."""

from django.core.management.base import BaseCommand, CommandError

from modules.queries import participants_to_anonymise
from modules.services import DomainError, anonymise_inactive


class Command(BaseCommand):
    help = (
        "Replace the personal data of clients with no enrolment activity for N years by a "
        "placeholder. Enrolments and attendance stay, so the yearly counts do not change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--inactive-years",
            type=int,
            default=5,
            metavar="N",
            help="Anonymise clients without activity for this many years (default 5).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the ids of the clients that would be anonymised; change nothing.",
        )

    def handle(self, *args, inactive_years: int, dry_run: bool, **options):
        if inactive_years < 1:
            raise CommandError("--inactive-years must be at least 1.")
        if dry_run:
            # Ids only: names and other personal data never go to logs or terminals.
            pks = list(participants_to_anonymise(years=inactive_years).values_list("pk", flat=True))
            for pk in pks:
                self.stdout.write(f"participant {pk}")
            self.stdout.write(
                f"Dry run: {len(pks)} participant(s) inactive for {inactive_years} years or "
                "more would be anonymised. Nothing was changed."
            )
            return
        try:
            count = anonymise_inactive(years=inactive_years)
        except DomainError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {count} participant(s) inactive for {inactive_years} years or more."
            )
        )
