"""Closing a module (completed / no-show by the attendance threshold), certificates, and
cancelling a module (caseworkers told by e-mail after the commit)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from modules.models import Attendance, Enrolment, Module, Session
from modules.services import DomainError, cancel_module, close_module
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_a(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, completion_threshold=75)


def held_sessions(module, n):
    return [
        f.SessionFactory(
            module=module,
            date=datetime.date(2026, 3, 2) + datetime.timedelta(weeks=i),
            status=Session.Status.HELD,
        )
        for i in range(n)
    ]


def attend(enrolment, sessions, present):
    for i, session in enumerate(sessions):
        status = Attendance.Status.PRESENT if i < present else Attendance.Status.ABSENT
        f.AttendanceFactory(enrolment=enrolment, session=session, status=status)


def test_threshold_met_completes_below_is_not_completed_never_present_is_no_show(module_a, staff_a):
    sessions = held_sessions(module_a, 4)
    f.SessionFactory(module=module_a, status=Session.Status.CANCELLED)
    exactly = f.EnrolmentFactory(module=module_a)
    below = f.EnrolmentFactory(module=module_a)
    never = f.EnrolmentFactory(module=module_a)
    attend(exactly, sessions, present=3)  # 3/4 = 75 %
    attend(below, sessions, present=2)  # 50 %: came, but too little
    attend(never, sessions, present=0)
    close_module(module=module_a, by=staff_a)
    for enrolment in (exactly, below, never):
        enrolment.refresh_from_db()
    module_a.refresh_from_db()
    assert exactly.status == Enrolment.Status.COMPLETED
    assert exactly.completed_at is not None
    assert below.status == Enrolment.Status.NOT_COMPLETED
    assert below.completed_at is None
    assert never.status == Enrolment.Status.NO_SHOW
    assert module_a.status == Module.Status.COMPLETED
    assert module_a.enrolment_open is False


def test_present_at_four_of_six_is_not_completed_not_no_show(module_a, staff_a):
    """The issue's case: present at 4 of 6 sessions, below the 75 % threshold."""
    sessions = held_sessions(module_a, 6)
    enrolment = f.EnrolmentFactory(module=module_a)
    attend(enrolment, sessions, present=4)
    close_module(module=module_a, by=staff_a)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOT_COMPLETED
    assert enrolment.get_status_display() == "Niet afgerond"


def test_excused_does_not_count_as_attended(module_a, staff_a):
    sessions = held_sessions(module_a, 4)
    enrolment = f.EnrolmentFactory(module=module_a)
    attend(enrolment, sessions[:3], present=2)
    f.AttendanceFactory(enrolment=enrolment, session=sessions[3], status="excused")
    close_module(module=module_a, by=staff_a)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOT_COMPLETED
    excused_only = f.EnrolmentFactory(module=f.ModuleFactory(partnership=module_a.partnership))
    session = held_sessions(excused_only.module, 1)[0]
    f.AttendanceFactory(enrolment=excused_only, session=session, status="excused")
    close_module(module=excused_only.module, by=staff_a)
    excused_only.refresh_from_db()
    assert excused_only.status == Enrolment.Status.NO_SHOW


def test_close_refused_while_a_session_is_planned(module_a, staff_a):
    sessions = held_sessions(module_a, 2)
    f.SessionFactory(module=module_a, status=Session.Status.PLANNED)
    enrolment = f.EnrolmentFactory(module=module_a)
    attend(enrolment, sessions, present=2)
    with pytest.raises(DomainError):
        close_module(module=module_a, by=staff_a)
    enrolment.refresh_from_db()
    module_a.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert module_a.status == Module.Status.OPEN


def test_close_refused_without_a_held_session(module_a, staff_a):
    f.SessionFactory(module=module_a, status=Session.Status.CANCELLED)
    with pytest.raises(DomainError):
        close_module(module=module_a, by=staff_a)


def test_close_withdraws_the_waiting_list(module_a, staff_a):
    held_sessions(module_a, 1)
    waiting = f.EnrolmentFactory(
        module=module_a, status=Enrolment.Status.WAITLISTED, waitlist_position=1
    )
    withdrawn = f.EnrolmentFactory(module=module_a, status=Enrolment.Status.WITHDRAWN)
    close_module(module=module_a, by=staff_a)
    waiting.refresh_from_db()
    withdrawn.refresh_from_db()
    assert waiting.status == Enrolment.Status.WITHDRAWN
    assert waiting.waitlist_position is None
    assert waiting.withdrawal_reason
    assert withdrawn.status == Enrolment.Status.WITHDRAWN


def test_close_views(client, staff_a, module_a):
    sessions = held_sessions(module_a, 2)
    enrolment = f.EnrolmentFactory(module=module_a)
    attend(enrolment, sessions, present=2)
    client.force_login(staff_a)
    url = reverse("modules:module_close", args=[module_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_close_view_shows_message_when_refused(client, staff_a, module_a):
    f.SessionFactory(module=module_a, status=Session.Status.PLANNED)
    client.force_login(staff_a)
    response = client.post(reverse("modules:module_close", args=[module_a.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    module_a.refresh_from_db()
    assert module_a.status == Module.Status.OPEN


# --- certificates -----------------------------------------------------------------------


def test_certificate_shows_module_themes_dates_hours_and_office(client, staff_a, partnership_a):
    theme = f.ThemeFactory(name="Gezondheid")
    module = f.ModuleFactory(partnership=partnership_a, title="Zorg in België", themes=[theme])
    sessions = held_sessions(module, 2)  # 3 hours each
    enrolment = f.EnrolmentFactory(module=module, participant__first_name="Yusuf")
    attend(enrolment, sessions, present=2)
    close_module(module=module, by=staff_a)
    client.force_login(staff_a)
    response = client.get(reverse("modules:certificate", args=[enrolment.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Zorg in België", "Gezondheid", "Yusuf", partnership_a.office.name):
        assert text in content
    assert response.context["enrolment"].hours_attended == 6.0
    assert "<dd>6 (" in content
    assert 'class="certificate"' in content
    assert "style=" not in content


def test_certificate_404_for_enrolment_not_completed(client, staff_a, module_a):
    enrolment = f.EnrolmentFactory(module=module_a)
    client.force_login(staff_a)
    response = client.get(reverse("modules:certificate", args=[enrolment.pk]))
    assert response.status_code == 404


# --- cancelling -------------------------------------------------------------------------


def test_cancel_mails_each_caseworker_once_on_commit_without_national_number(
    module_a, staff_a, caseworker_a, organisation_a, django_capture_on_commit_callbacks
):
    colleague = f.UserFactory(username="cw2", email="cw2@example.be")
    f.MembershipFactory(user=colleague, role="caseworker", office=None, organisation=organisation_a)
    planned = f.SessionFactory(module=module_a)
    held = f.SessionFactory(module=module_a, status=Session.Status.HELD)
    ours = {"participant__organisation": organisation_a}
    first = f.EnrolmentFactory(
        module=module_a,
        participant__caseworker=caseworker_a,
        participant__first_name="Amina",
        participant__national_register_number=f.make_national_register_number(7),
        **ours,
    )
    f.EnrolmentFactory(
        module=module_a,
        status=Enrolment.Status.WAITLISTED,
        waitlist_position=1,
        participant__caseworker=caseworker_a,
        participant__first_name="Bilal",
        **ours,
    )
    f.EnrolmentFactory(
        module=module_a, participant__caseworker=colleague, participant__first_name="Chen", **ours
    )
    f.EnrolmentFactory(
        module=module_a,
        status=Enrolment.Status.WITHDRAWN,
        participant__caseworker=f.UserFactory(username="cw3"),
        **ours,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cancel_module(module=module_a, reason="Lokaal onbeschikbaar", by=staff_a)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [caseworker_a.email, "cw2@example.be"]
    to_a = next(m for m in mail.outbox if m.to == [caseworker_a.email])
    assert "Amina" in to_a.body and "Bilal" in to_a.body and "Chen" not in to_a.body
    assert "Lokaal onbeschikbaar" in to_a.body
    assert first.participant.national_register_number not in to_a.body
    assert module_a.title in to_a.subject
    planned.refresh_from_db()
    held.refresh_from_db()
    module_a.refresh_from_db()
    assert planned.status == Session.Status.CANCELLED
    assert held.status == Session.Status.HELD
    assert module_a.status == Module.Status.CANCELLED
    assert module_a.enrolment_open is False
    assert module_a.cancel_reason == "Lokaal onbeschikbaar"


def test_cancel_view_sends_mail_on_commit(
    client, staff_a, module_a, caseworker_a, organisation_a, django_capture_on_commit_callbacks
):
    f.EnrolmentFactory(
        module=module_a,
        participant__caseworker=caseworker_a,
        participant__organisation=organisation_a,
    )
    client.force_login(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("modules:module_cancel", args=[module_a.pk]), {"reason": "Geen lesgever"}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[caseworker_a.email]]


def test_cancel_refused_without_reason_and_for_cancelled_module(module_a, staff_a):
    with pytest.raises(DomainError):
        cancel_module(module=module_a, reason=" ", by=staff_a)
    cancel_module(module=module_a, reason="x", by=staff_a)
    with pytest.raises(DomainError):
        cancel_module(module=module_a, reason="y", by=staff_a)
    assert mail.outbox == []
