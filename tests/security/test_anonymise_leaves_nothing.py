"""Issue 8, finding 5: after anonymisation the old name stayed in the admin log
(`django_admin_log.object_repr`, shown under "Recent actions"). Proven here by dumping every
column of every table and searching it for the old values."""

import datetime
import io

import pytest
from django.contrib.admin import site
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from modules.models import Attendance, Enrolment, Participant, Session
from partnerships.validators import format_national_register_number
from tests import factories as f

BORN = datetime.date(1961, 7, 23)
NUMBER = f.make_national_register_number(77, BORN)
OLD = {
    "first name": "Zwanetta",
    "last name": "Oudewater-Kleinveld",
    "phone": "0470 98 76 54",
    "e-mail": "zwanetta.ok@example.org",
    "national number": NUMBER,
    "national number (formatted)": format_national_register_number(NUMBER),
    "birth date": BORN.isoformat(),
    "birth date (Belgian)": BORN.strftime("%d/%m/%Y"),
    "withdrawal reason": "Verhuisd naar Zwanetta's zus",
}
LONG_AGO = timezone.make_aware(datetime.datetime(2019, 6, 1, 10, 0))


def every_value_in_the_database() -> list[tuple[str, str]]:
    """(table, value) for every non-empty value of every column of every table, as text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                found.extend((table, str(value)) for value in row if value not in (None, ""))
    return found


@pytest.fixture
def old_client(client, partnership_a, organisation_a, caseworker_a, admin):
    module = f.ModuleFactory(partnership=partnership_a, status="completed")
    other = f.ModuleFactory(partnership=partnership_a)
    session = f.SessionFactory(
        module=module, date=datetime.date(2019, 3, 4), status=Session.Status.HELD
    )
    participant = f.ParticipantFactory(
        organisation=organisation_a,
        caseworker=caseworker_a,
        first_name=OLD["first name"],
        last_name=OLD["last name"],
        phone=OLD["phone"],
        email=OLD["e-mail"],
        national_register_number=NUMBER,
        date_of_birth=BORN,
    )
    enrolment = f.EnrolmentFactory(participant=participant, module=module, status="completed")
    f.AttendanceFactory(enrolment=enrolment, session=session)
    withdrawn = f.EnrolmentFactory(
        participant=participant,
        module=other,
        status="withdrawn",
        withdrawal_reason=OLD["withdrawal reason"],
    )
    # What people did with the record: an administrator changed it and its enrolments in the
    # admin (the "Recent actions" log), its caseworker revealed the number and exported it.
    request = RequestFactory().post("/admin/")
    request.user = admin
    for obj in (participant, enrolment, withdrawn, Attendance.objects.get(enrolment=enrolment)):
        site._registry[type(obj)].log_change(request, obj, [{"changed": {"fields": ["x"]}}])
    participant.phone = OLD["phone"] + " "  # a second version in the change history
    participant.save()
    client.force_login(caseworker_a)
    client.post(reverse("modules:participant_reveal", args=[participant.pk]))
    client.post(reverse("modules:participant_export", args=[participant.pk]))
    client.logout()
    Participant.objects.filter(pk=participant.pk).update(created_at=LONG_AGO)
    Enrolment.objects.filter(participant=participant).update(
        enrolled_at=LONG_AGO, status_changed_at=LONG_AGO
    )
    Attendance.objects.filter(enrolment__participant=participant).update(recorded_at=LONG_AGO)
    return participant


def test_the_old_values_are_in_the_database_before(old_client):
    """The counterpart: the search below finds these values while they are there."""
    values = every_value_in_the_database()
    for label, old in OLD.items():
        if label in ("national number (formatted)", "birth date (Belgian)"):
            continue
        assert any(old in value for _table, value in values), label
    assert LogEntry.objects.filter(object_repr__contains=OLD["last name"]).count() == 4


def test_after_anonymisation_no_table_holds_the_old_personal_data(old_client):
    call_command("anonymise_participants", "--inactive-years", "5", stdout=io.StringIO())

    leaks = [
        (label, table)
        for table, value in every_value_in_the_database()
        for label, old in OLD.items()
        if old in value
    ]
    assert leaks == []
    old_client.refresh_from_db()
    assert old_client.anonymised_at is not None
    entry = LogEntry.objects.filter(object_id=str(old_client.pk)).get(
        content_type__model="participant"
    )
    assert entry.object_repr == str(old_client)
