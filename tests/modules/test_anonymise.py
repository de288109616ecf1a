"""anonymise_participants: inactive clients lose their personal data, the counts stay."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from modules.models import Attendance, Enrolment, Participant
from modules.services import ANONYMISED_FIRST_NAME, anonymise_inactive
from tests import factories as f

LONG_AGO = timezone.make_aware(datetime.datetime(2019, 6, 1, 10, 0))
RECENTLY = timezone.make_aware(datetime.datetime(2025, 9, 1, 10, 0))


def age(participant, when):
    """Backdate a participant, their enrolments and attendance (auto_now fields)."""
    Participant.objects.filter(pk=participant.pk).update(created_at=when)
    Enrolment.objects.filter(participant=participant).update(
        enrolled_at=when, status_changed_at=when
    )
    Attendance.objects.filter(enrolment__participant=participant).update(recorded_at=when)


@pytest.fixture
def data(partnership_a, organisation_a, caseworker_a):
    old_module = f.ModuleFactory(partnership=partnership_a, status="completed")
    new_module = f.ModuleFactory(partnership=partnership_a)
    old_sessions = [
        f.SessionFactory(module=old_module, date=datetime.date(2019, 3, day), status="held")
        for day in (4, 11)
    ]
    new_session = f.SessionFactory(module=new_module, date=datetime.date(2025, 9, 8), status="held")

    def client(name, **kwargs):
        return f.ParticipantFactory(
            organisation=organisation_a,
            caseworker=caseworker_a,
            last_name=name,
            gender="f",
            phone="0470 12 34 56",
            email=f"{name.lower()}@example.be",
            **kwargs,
        )

    inactive = client("Oud", national_register_number="85073003328")
    withdrawn = client("Vertrokken")
    active = client("Actief")
    never_enrolled_old = client("Nooitoud")
    never_enrolled_new = client("Nooitnieuw")

    e1 = f.EnrolmentFactory(participant=inactive, module=old_module, status="completed")
    for session in old_sessions:
        f.AttendanceFactory(enrolment=e1, session=session, status="present")
    e2 = f.EnrolmentFactory(
        participant=withdrawn,
        module=old_module,
        status="withdrawn",
        withdrawn_at=LONG_AGO,
        withdrawal_reason="Ernstig ziek, opgenomen",
    )
    f.AttendanceFactory(enrolment=e2, session=old_sessions[0], status="present")
    e3 = f.EnrolmentFactory(participant=active, module=old_module, status="completed")
    f.AttendanceFactory(enrolment=e3, session=old_sessions[0], status="absent")
    e4 = f.EnrolmentFactory(participant=active, module=new_module, status="enrolled")
    f.AttendanceFactory(enrolment=e4, session=new_session, status="present")

    for participant in (inactive, withdrawn, never_enrolled_old):
        age(participant, LONG_AGO)
    age(active, LONG_AGO)
    Enrolment.objects.filter(pk=e4.pk).update(enrolled_at=RECENTLY, status_changed_at=RECENTLY)
    Attendance.objects.filter(enrolment=e4).update(recorded_at=RECENTLY)
    age(never_enrolled_new, RECENTLY)
    return {
        "inactive": inactive,
        "withdrawn": withdrawn,
        "active": active,
        "never_enrolled_old": never_enrolled_old,
        "never_enrolled_new": never_enrolled_new,
    }


def own_counts():
    """Present attendances at held sessions and distinct participants per year; enrolments
    per status; participants per organisation."""
    present = Attendance.objects.filter(status="present", session__status="held")
    by_year = (
        present.annotate(year=ExtractYear("session__date"))
        .values("year")
        .annotate(
            attendances=Count("pk"),
            participants=Count("enrolment__participant", distinct=True),
        )
        .order_by("year")
    )
    statuses = Enrolment.objects.values("status").annotate(n=Count("pk")).order_by("status")
    organisations = (
        Participant.objects.values("organisation").annotate(n=Count("pk")).order_by("organisation")
    )
    return list(by_year), list(statuses), list(organisations), Attendance.objects.count()


def report_counts(user):
    from modules.queries import ReportFilters, yearly_counts

    result = yearly_counts(
        user=user, filters=ReportFilters(year_from=2018, year_to=2026), breakdown="partner_kind"
    )
    return [(row.year, row.label, row.values()) for row in result.table()]


def test_anonymisation_replaces_personal_data_of_inactive_clients_only(data):
    changed = anonymise_inactive(years=5)

    assert changed == 3
    for name in ("inactive", "withdrawn", "never_enrolled_old"):
        participant = Participant.objects.get(pk=data[name].pk)
        assert participant.first_name == ANONYMISED_FIRST_NAME
        assert participant.last_name == f"#{participant.pk}"
        assert participant.date_of_birth is None
        assert (participant.gender, participant.nationality, participant.languages) == ("", "", "")
        assert (participant.phone, participant.email) == ("", "")
        assert participant.national_register_number is None
        assert participant.anonymised_at is not None
        assert participant.history.count() == 0  # the history held the old data
    for name in ("active", "never_enrolled_new"):
        participant = Participant.objects.get(pk=data[name].pk)
        assert participant.last_name == data[name].last_name
        assert participant.anonymised_at is None
        assert participant.history.exists()


def test_anonymisation_clears_free_text_withdrawal_reasons_also_in_history(data):
    anonymise_inactive(years=5)

    enrolment = Enrolment.objects.get(participant=data["withdrawn"])
    assert enrolment.status == "withdrawn"
    assert enrolment.withdrawal_reason == ""
    assert not enrolment.history.exclude(withdrawal_reason="").exists()


def test_anonymisation_keeps_every_yearly_count(data, admin):
    before = own_counts(), report_counts(admin)

    anonymise_inactive(years=5)

    after = own_counts(), report_counts(admin)
    assert after == before
    assert before[0][0]  # the comparison is not between two empty results
    assert any(values["participants"] for _, _, values in before[1])


def test_anonymisation_runs_once_per_client(data):
    assert anonymise_inactive(years=5) == 3
    assert anonymise_inactive(years=5) == 0


def test_a_shorter_period_catches_more_clients(data):
    # One year back is 2025-11-29: the activity of September 2025 is older than that.
    assert anonymise_inactive(years=1, dry_run=True) == 5


def test_dry_run_lists_ids_and_changes_nothing(data):
    out = StringIO()

    call_command("anonymise_participants", "--dry-run", stdout=out)

    output = out.getvalue()
    for name in ("inactive", "withdrawn", "never_enrolled_old"):
        assert f"participant {data[name].pk}\n" in output
    assert f"participant {data['active'].pk}\n" not in output
    assert "3 participant(s)" in output
    assert "Oud" not in output  # ids only, no names
    assert not Participant.objects.filter(anonymised_at__isnull=False).exists()


def test_command_reports_how_many_it_changed(data):
    out = StringIO()

    call_command("anonymise_participants", "--inactive-years", "5", stdout=out)

    assert "Anonymised 3 participant(s)" in out.getvalue()
    assert Participant.objects.filter(anonymised_at__isnull=False).count() == 3


def test_command_refuses_a_period_below_one_year(db):
    with pytest.raises(CommandError):
        call_command("anonymise_participants", "--inactive-years", "0")


def test_anonymised_clients_cannot_be_edited_or_enrolled(data, client, caseworker_a):
    from django.urls import reverse

    anonymise_inactive(years=5)
    client.force_login(caseworker_a)
    pk = data["inactive"].pk

    assert client.get(reverse("modules:participant_detail", args=[pk])).status_code == 200
    assert client.get(reverse("modules:participant_edit", args=[pk])).status_code == 404
    assert client.get(reverse("modules:participant_enrol", args=[pk])).status_code == 404
