"""Time the list queries behind the heaviest pages (issue 10) as an administrator, in-process:
the clients list (a page of 25 and its count). Prints best and median of --repeat runs."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integratie.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from modules.queries import clients_for  # noqa: E402


def clients_page(user):
    page = Paginator(clients_for(user), 25).page(1)
    return [(p.pk, p.current_enrolments) for p in page.object_list], page.paginator.count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    admin = get_user_model()(username="bench-admin", is_superuser=True, is_staff=True)
    admin.is_authenticated  # noqa: B018
    for name, run in (("clients list, page 1 + count", clients_page),):
        times = []
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                run(admin)
                times.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:<32} queries {len(queries):>3}  best {min(times):7.0f} ms"
            f"  median {statistics.median(times):7.0f} ms"
        )


if __name__ == "__main__":
    main()
