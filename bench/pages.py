"""Time pages in-process as the administrator (Django's test client, no server): best of 3,
the number of queries and their time, the page size and the slowest statement.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pw_bench .venv/bin/python bench/pages.py [URL…]

Creates the user bench-admin (a superuser) if missing. docs/performance.md has the figures.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integratie.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    "/clients/",
    "/agreements/",
    "/requests/",
    "/modules/",
    "/evaluations/",
    "/",
    "/admin/modules/participant/",
    "/admin/modules/enrolment/",
    "/admin/modules/attendance/",
]


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(admin)
    for url in sys.argv[1:] or PAGES:
        client.get(url)
        times = []
        for _round in range(3):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        captured = queries.captured_queries
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        slowest = max(captured, key=lambda q: float(q["time"])) if captured else None
        print(
            f"{url:<40} {response.status_code} best {min(times):6.0f} ms  "
            f"queries {len(captured):3}  sql {sql_ms:5.0f} ms  {len(response.content) // 1024} kB"
            + (f"  slowest {float(slowest['time']) * 1000:.0f} ms" if slowest else "")
        )


if __name__ == "__main__":
    main()
