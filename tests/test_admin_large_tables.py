"""The admin's changelists of the big tables stay bounded (issue 10): no list of every
organisation, no sort or DISTINCT over every row, the same queries for 2 rows and 40."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_the_participant_filter_lists_only_the_chosen_organisation(admin_client):
    chosen = f.PartnerOrganisationFactory(name="Gekozen vzw")
    other = f.PartnerOrganisationFactory(name="Andere vzw")
    f.ParticipantFactory(organisation=chosen, last_name="Binnenfilter")
    f.ParticipantFactory(organisation=other, last_name="Buitenfilter")
    url = reverse("admin:modules_participant_changelist")
    unfiltered = admin_client.get(url).content.decode()
    # The column links to the filter; the sidebar has no list of organisations.
    assert f'href="?organisation={chosen.pk}"' in unfiltered
    assert unfiltered.count("Andere vzw") == 1  # only in its participant's row
    page = admin_client.get(url, {"organisation": chosen.pk}).content.decode()
    assert "Binnenfilter" in page
    assert "Buitenfilter" not in page
    # Garbage is ignored (the whole list), not a 500.
    assert admin_client.get(url, {"organisation": "x1"}).status_code == 200
    assert admin_client.get(url, {"organisation": "9" * 30}).status_code == 200


@pytest.mark.parametrize("name", ["participant", "enrolment", "attendance"])
def test_changelists_take_the_same_queries_for_2_and_40_rows(admin_client, name):
    url = reverse(f"admin:modules_{name}_changelist")
    counts = []
    for rows in (2, 38):
        for _ in range(rows):
            f.AttendanceFactory()
        admin_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        sql = " ".join(q["sql"] for q in ctx.captured_queries).upper()
        assert "DISTINCT" not in sql  # no date hierarchy's year list
    assert counts[0] == counts[1]


def test_attendance_newest_first_without_sorting_by_session(admin_client):
    first, second = f.AttendanceFactory(), f.AttendanceFactory()
    with CaptureQueriesContext(connection) as ctx:
        admin_client.get(reverse("admin:modules_attendance_changelist"))
    listing = [q["sql"] for q in ctx.captured_queries if 'FROM "modules_attendance"' in q["sql"]]
    assert any('ORDER BY "modules_attendance"."id" DESC' in sql for sql in listing)
    assert not any('ORDER BY "modules_session"' in sql for sql in listing)
    assert first.pk < second.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class estimate: PostgreSQL")
def test_a_big_unfiltered_table_is_counted_from_the_estimate_a_filtered_one_exactly(db):
    """LargeTablePaginator: PostgreSQL's own row estimate only for a big unfiltered table;
    any filter (a date, a participant) is counted exactly, or the pages would lie."""
    from modules.admin import LargeTablePaginator
    from modules.models import Attendance

    enrolment = f.EnrolmentFactory()
    session = f.SessionFactory(module=enrolment.module)
    f.AttendanceFactory(enrolment=enrolment, session=session, status="present")
    with connection.cursor() as cursor:  # as ANALYZE would leave it on a million rows
        cursor.execute(
            "UPDATE pg_class SET reltuples = 1000000 WHERE relname = %s",
            [Attendance._meta.db_table],
        )
    unfiltered = LargeTablePaginator(Attendance.objects.order_by("-pk"), 50)
    filtered = LargeTablePaginator(Attendance.objects.filter(status="present"), 50)
    small = LargeTablePaginator(Attendance.objects.filter(pk__gt=0), 50)

    assert unfiltered.count == 1_000_000
    assert unfiltered.num_pages == 20_000
    assert filtered.count == 1
    assert small.count == 1
