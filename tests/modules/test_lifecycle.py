"""The module lifecycle (issue 9, findings 1 and 2): nothing is held before its date, the
status follows the sessions, enrolment follows the status, and the page says what comes next.

The clock is pinned (the `today` fixture: 29 November 2026, 10:00 in Brussels)."""

import datetime
import re
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from modules.models import Attendance, Enrolment, Module, Session
from modules.queries import certificate_enrolment, yearly_counts
from modules.queries.reports import ReportFilters
from modules.services import (
    DomainError,
    add_session,
    cancel_session,
    close_enrolment,
    close_module,
    enrol,
    open_enrolment,
    record_attendance,
)
from tests import factories as f

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date


@pytest.fixture
def module_a(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, completion_threshold=50)


def session(module, day, **kwargs):
    return f.SessionFactory(module=module, date=day, **kwargs)


# --- finding 1: nothing counted before it happened ---------------------------------------


def test_attendance_for_a_future_session_is_refused_and_nothing_changes(module_a, staff_a, today):
    future = session(module_a, D(2027, 3, 22))
    enrolment = f.EnrolmentFactory(module=module_a)

    # The date as the active language writes it (nl: 22-03-2027, en: 22/03/2027).
    with pytest.raises(DomainError, match="22[-/]0?3[-/]2027"):
        record_attendance(session=future, marks={enrolment.pk: "present"}, by=staff_a)

    future.refresh_from_db()
    module_a.refresh_from_db()
    assert future.status == Session.Status.PLANNED
    assert not Attendance.objects.exists()
    assert module_a.status == Module.Status.OPEN
    report = yearly_counts(
        user=staff_a, filters=ReportFilters(year_from=2027, year_to=2027), breakdown="office"
    )
    assert report.totals[2027].sessions == 0


def test_attendance_page_of_a_future_session_says_when_it_opens(client, module_a, staff_a, today):
    future = session(module_a, D(2027, 3, 22))
    enrolment = f.EnrolmentFactory(module=module_a)
    client.force_login(staff_a)
    url = reverse("modules:attendance", args=[future.pk])

    shown = client.get(url, follow=True)
    posted = client.post(url, {f"mark_{enrolment.pk}": "present"}, follow=True)

    for response in (shown, posted):
        [message] = [str(m) for m in response.context["messages"]]
        assert "22-03-2027" in message or "22-3-2027" in message
    future.refresh_from_db()
    assert future.status == Session.Status.PLANNED


def test_attendance_on_the_day_itself_in_brussels_is_allowed(module_a, staff_a, time_machine):
    # 23:30 UTC on 29 November is already 30 November in Brussels.
    time_machine.move_to(datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC), tick=False)
    tomorrow_in_utc = session(module_a, D(2026, 11, 30))
    enrolment = f.EnrolmentFactory(module=module_a)

    record_attendance(session=tomorrow_in_utc, marks={enrolment.pk: "present"}, by=staff_a)

    tomorrow_in_utc.refresh_from_db()
    assert tomorrow_in_utc.status == Session.Status.HELD


def test_a_module_cannot_be_closed_before_its_last_session(module_a, staff_a, today):
    # A session marked held for a later date (as before this rule existed) cannot close it.
    session(module_a, D(2026, 11, 16), status=Session.Status.HELD)
    session(module_a, D(2027, 3, 22), status=Session.Status.HELD)
    module_a.status, module_a.enrolment_open = Module.Status.FINISHED, False
    module_a.save()
    enrolment = f.EnrolmentFactory(module=module_a)

    with pytest.raises(DomainError, match="2027"):
        close_module(module=module_a, by=staff_a)

    module_a.refresh_from_db()
    enrolment.refresh_from_db()
    assert module_a.status == Module.Status.FINISHED
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_certificate_is_never_dated_before_the_last_session(module_a, staff_a, today):
    last = session(module_a, D(2027, 5, 3), status=Session.Status.HELD)
    enrolment = f.EnrolmentFactory(
        module=module_a,
        status=Enrolment.Status.COMPLETED,
        completed_at=datetime.datetime(2026, 11, 29, 10, tzinfo=BRUSSELS),
    )

    shown = certificate_enrolment(staff_a, enrolment.pk)

    assert shown.certificate_date == last.date


def test_held_session_in_the_future_is_invalid_in_the_admin_form(module_a, today):
    future = Session(
        module=module_a,
        date=D(2027, 3, 22),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        status=Session.Status.HELD,
    )
    with pytest.raises(Exception, match="2027"):
        future.full_clean()


# --- finding 2: one state machine ---------------------------------------------------------


def test_first_held_session_starts_the_module_and_the_last_finishes_it(module_a, staff_a, today):
    first = session(module_a, D(2026, 11, 16))
    second = session(module_a, D(2026, 11, 23))
    enrolment = f.EnrolmentFactory(module=module_a)

    record_attendance(session=first, marks={enrolment.pk: "present"}, by=staff_a)
    module_a.refresh_from_db()
    assert (module_a.status, module_a.enrolment_open) == (Module.Status.RUNNING, True)

    record_attendance(session=second, marks={enrolment.pk: "present"}, by=staff_a)
    module_a.refresh_from_db()
    assert (module_a.status, module_a.enrolment_open) == (Module.Status.FINISHED, False)

    # A session planned again resumes it; cancelling that one finishes it again.
    extra = Session(
        module=module_a,
        date=D(2026, 12, 7),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )
    add_session(session=extra, by=staff_a)
    module_a.refresh_from_db()
    assert module_a.status == Module.Status.RUNNING
    cancel_session(session=extra, reason="Zaal bezet", by=staff_a)
    module_a.refresh_from_db()
    assert module_a.status == Module.Status.FINISHED

    close_module(module=module_a, by=staff_a)
    module_a.refresh_from_db()
    assert module_a.status == Module.Status.COMPLETED


def test_a_finished_module_takes_no_enrolment(module_a, staff_a, caseworker_a, today):
    only = session(module_a, D(2026, 11, 16))
    record_attendance(session=only, marks={}, by=staff_a)
    module_a.refresh_from_db()
    assert module_a.status == Module.Status.FINISHED
    client = f.ParticipantFactory(organisation=module_a.partnership.lead_partner)

    with pytest.raises(DomainError):
        enrol(participant=client, module=module_a, by=caseworker_a)
    with pytest.raises(DomainError):
        open_enrolment(module=module_a, by=staff_a)


def test_opening_enrolment_needs_a_session_to_come(partnership_a, staff_a, today):
    module = f.ModuleFactory(partnership=partnership_a, status=Module.Status.PLANNED)
    session(module, D(2026, 11, 2))

    with pytest.raises(DomainError, match="sessie vanaf vandaag"):
        open_enrolment(module=module, by=staff_a)

    session(module, D(2026, 12, 7))
    open_enrolment(module=module, by=staff_a)
    module.refresh_from_db()
    assert (module.status, module.enrolment_open) == (Module.Status.OPEN, True)
    close_enrolment(module=module, by=staff_a)
    module.refresh_from_db()
    assert (module.status, module.enrolment_open) == (Module.Status.PLANNED, False)


def test_the_database_refuses_open_for_enrolment_with_enrolment_closed(partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    module.enrolment_open = False
    with pytest.raises(IntegrityError), transaction.atomic():
        module.save()


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("planned", {"open", "running", "cancelled"}),
        ("open", {"planned", "running", "cancelled"}),
        ("running", {"finished", "cancelled"}),
        ("finished", {"running", "completed", "cancelled"}),
        ("completed", set()),
        ("cancelled", set()),
    ],
)
def test_the_transition_table(status, allowed):
    assert Module.TRANSITIONS[status] == allowed


def test_the_module_form_no_longer_sets_status_or_enrolment(client, module_a, staff_a):
    client.force_login(staff_a)
    url = reverse("modules:module_edit", args=[module_a.pk])
    form = client.get(url).context["form"]
    assert "status" not in form.fields and "enrolment_open" not in form.fields


def test_module_page_says_the_next_step_and_what_blocks_it(client, module_a, staff_a, today):
    session(module_a, D(2026, 12, 7))
    client.force_login(staff_a)
    url = reverse("modules:module_detail", args=[module_a.pk])

    page = client.get(url).content.decode()

    assert "Volgende stap:" in page
    assert re.search(r"Registreer de aanwezigheid van de sessie van 0?7-12-2026", page)
    assert "Nog niet mogelijk:" in page
    # Closing is not hidden: the page says why it cannot happen yet.
    assert "De module afsluiten:" in page and "nog 1 sessie gepland" in page.lower()
    assert "Open voor inschrijving · inschrijving gesloten" not in page


def test_open_and_close_enrolment_buttons(client, partnership_a, staff_a, today):
    module = f.ModuleFactory(partnership=partnership_a, status=Module.Status.PLANNED)
    session(module, D(2026, 12, 7))
    client.force_login(staff_a)

    opened = client.post(reverse("modules:module_open_enrolment", args=[module.pk]), follow=True)
    module.refresh_from_db()
    assert module.accepts_enrolments
    assert [m.level_tag for m in opened.context["messages"]] == ["success"]
    closed = client.post(reverse("modules:module_close_enrolment", args=[module.pk]), follow=True)
    module.refresh_from_db()
    assert not module.accepts_enrolments
    assert [m.level_tag for m in closed.context["messages"]] == ["success"]
    again = client.post(reverse("modules:module_close_enrolment", args=[module.pk]), follow=True)
    assert [m.level_tag for m in again.context["messages"]] == ["error"]
