"""Time the yearly report on the data bench/generate.py wrote: best of N per breakdown.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pw_bench .venv/bin/python bench/run.py

Prints one line per scenario: the number of queries, the best and median wall time of
`yearly_counts` and the slowest of its queries (from the best run).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integratie.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from modules.models import Attendance, Module, Session  # noqa: E402
from modules.queries import BREAKDOWNS, ReportFilters, yearly_counts, yearly_totals  # noqa: E402
from partnerships.models import Membership, Office, PartnerOrganisation, User  # noqa: E402


def bench_user(username: str, *, office: Office | None = None) -> User:
    """A superuser (sees every office) or a manager tied to `office`, never saved: the
    benchmark writes nothing to the database it measures."""
    user = User(username=username, is_superuser=office is None)
    if office is not None:
        user.membership = Membership(user=user, role=Membership.Role.MANAGER, office=office)
    return user


def measure(call, repeat: int) -> tuple[list[float], int, float]:
    """(wall times in ms, queries per call, slowest query in ms of the best run)."""
    times, best = [], None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call()
            elapsed = (time.perf_counter() - started) * 1000
        times.append(elapsed)
        if best is None or elapsed <= min(times):
            best = queries.captured_queries
    slowest = max((float(q["time"]) * 1000 for q in best), default=0.0)
    return times, len(best), slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per scenario (best of N)")
    parser.add_argument("--years", type=int, default=10, help="years up to this year")
    args = parser.parse_args()
    if not Module.objects.exists():
        sys.exit("No data: run bench/generate.py first (see bench/README.md).")

    this_year = datetime.date.today().year
    filters = ReportFilters(year_from=this_year - args.years + 1, year_to=this_year)
    admin = bench_user("bench-admin")
    busiest = (
        Office.objects.annotate(n=django.db.models.Count("partnerships__modules"))
        .order_by("-n")
        .first()
    )
    office_manager = bench_user("bench-office-manager", office=busiest)
    ocmw = PartnerOrganisation.Kind.OCMW

    scenarios = [
        (f"by {name}", lambda name=name: yearly_counts(user=admin, filters=filters, breakdown=name))
        for name in BREAKDOWNS
    ]
    five_years = ReportFilters(year_from=this_year - 4, year_to=this_year)
    scenarios += [
        (
            # What the report page asks: every partner listed, one page of them counted.
            "by partner, page 1 (the page)",
            lambda: yearly_counts(user=admin, filters=filters, breakdown="partner", page=1),
        ),
        (
            "by partner_kind, 5 years",
            lambda: yearly_counts(user=admin, filters=five_years, breakdown="partner_kind"),
        ),
        (
            "by office, OCMW only",
            lambda: yearly_counts(
                user=admin,
                filters=ReportFilters(filters.year_from, filters.year_to, partner_kind=ocmw),
                breakdown="office",
            ),
        ),
        (
            "office manager, by partner",
            lambda: yearly_counts(user=office_manager, filters=filters, breakdown="partner"),
        ),
        (
            "home page (2 years, totals)",
            lambda: yearly_totals(user=admin, years=range(this_year - 1, this_year + 1)),
        ),
    ]

    print(
        f"{connection.vendor}: {Module.objects.count():,} modules, "
        f"{Session.objects.count():,} sessions, {Attendance.objects.count():,} attendance rows; "
        f"{args.years} years, best of {args.repeat}\n"
    )
    header = f"{'scenario':<30} {'queries':>7} {'best ms':>9} {'median ms':>10} {'slowest q':>10}"
    print(header)
    print("-" * len(header))
    for label, call in scenarios:
        call()  # warm the caches once
        times, queries, slowest = measure(call, args.repeat)
        print(
            f"{label:<30} {queries:>7} {min(times):>9.0f} {statistics.median(times):>10.0f}"
            f" {slowest:>10.0f}"
        )


if __name__ == "__main__":
    main()
