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
