"""Mail to caseworkers about their clients (issue 11, notifications): on enrolment, on a
session moved or cancelled, on promotion; each mail names only the recipient's own clients,
and each kind can be switched off on /account/."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from modules.models import Enrolment, MailKind, MailOptOut
from modules.queries import caseworker_emails_for
from modules.services import (
    cancel_session,
    enrol,
    fill_free_places,
    move_session,
    set_mail_preferences,
    withdraw,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_module(partnership_a, organisation_b, today):
    """One module open to both organisations, with a planned session next week."""
    partnership_a.partners.add(organisation_b)
    module = f.ModuleFactory(partnership=partnership_a, capacity=2, title="Wonen in Gent")
    f.SessionFactory(module=module, date=datetime.date(2026, 12, 7))
    return module


def person(organisation, caseworker, first_name):
    return f.ParticipantFactory(
        organisation=organisation, caseworker=caseworker, first_name=first_name, last_name="X"
    )


@pytest.fixture
def two_clients(shared_module, organisation_a, organisation_b, caseworker_a, caseworker_b):
    """Amina (organisation A) and Bilal (organisation B), both enrolled."""
    amina = person(organisation_a, caseworker_a, "Amina")
    bilal = person(organisation_b, caseworker_b, "Bilal")
    enrol(participant=amina, module=shared_module, by=caseworker_a)
    enrol(participant=bilal, module=shared_module, by=caseworker_b)
    mail.outbox.clear()
    return amina, bilal


def sent(django_capture_on_commit_callbacks, action):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action()
    return {m.to[0]: m for m in mail.outbox}


def test_enrolment_mail_says_enrolled_or_waitlisted_with_position(
    shared_module, organisation_a, caseworker_a, django_capture_on_commit_callbacks
):
    clients = [person(organisation_a, caseworker_a, name) for name in ("Amina", "Badr", "Chaima")]
    outcomes = []
    for participant in clients:
        outcomes.append(
            sent(
                django_capture_on_commit_callbacks,
                lambda p=participant: enrol(participant=p, module=shared_module, by=caseworker_a),
            )
        )
    assert [list(o) for o in outcomes] == [[caseworker_a.email]] * 3
    first = outcomes[0][caseworker_a.email]
    assert "Amina X" in first.body and "ingeschreven" in first.body
    assert first.subject == "Ingeschreven in Wonen in Gent"
    third = outcomes[2][caseworker_a.email]
    assert "Chaima X" in third.body and "wachtlijst" in third.body and "positie 1" in third.body
    assert "Amina" not in third.body and "Badr" not in third.body


def test_session_moved_mail_names_only_each_caseworkers_own_clients(
    shared_module,
    two_clients,
    caseworker_a,
    caseworker_b,
    staff_a,
    django_capture_on_commit_callbacks,
):
    session = shared_module.sessions.get()
    mails = sent(
        django_capture_on_commit_callbacks,
        lambda: move_session(
            session=session,
            date=datetime.date(2026, 12, 9),
            start_time=datetime.time(13),
            end_time=datetime.time(16),
            by=staff_a,
        ),
    )
    assert set(mails) == {caseworker_a.email, caseworker_b.email}
    to_a, to_b = mails[caseworker_a.email].body, mails[caseworker_b.email].body
    assert "Amina X" in to_a and "Bilal" not in to_a
    assert "Bilal X" in to_b and "Amina" not in to_b
    assert "maandag 7 december 2026, 09:00–12:00" in to_a
    assert "woensdag 9 december 2026, 13:00–16:00" in to_a


def test_session_cancelled_mail_names_only_each_caseworkers_own_clients(
    shared_module,
    two_clients,
    caseworker_a,
    caseworker_b,
    staff_a,
    django_capture_on_commit_callbacks,
):
    session = shared_module.sessions.get()
    mails = sent(
        django_capture_on_commit_callbacks,
        lambda: cancel_session(session=session, reason="Lesgever ziek", by=staff_a),
    )
    assert set(mails) == {caseworker_a.email, caseworker_b.email}
    to_a, to_b = mails[caseworker_a.email], mails[caseworker_b.email]
    assert to_a.subject == "Sessie geannuleerd: Wonen in Gent"
    assert "Amina X" in to_a.body and "Bilal" not in to_a.body and "Lesgever ziek" in to_a.body
    assert "Bilal X" in to_b.body and "Amina" not in to_b.body


def test_moving_to_the_same_time_sends_nothing(
    shared_module, two_clients, staff_a, django_capture_on_commit_callbacks
):
    session = shared_module.sessions.get()
    mails = sent(
        django_capture_on_commit_callbacks,
        lambda: move_session(
            session=session,
            date=session.date,
            start_time=session.start_time,
            end_time=session.end_time,
            by=staff_a,
        ),
    )
    assert mails == {}


def test_promotion_after_a_withdrawal_says_first_on_the_waiting_list(
    shared_module,
    two_clients,
    organisation_b,
    caseworker_a,
    caseworker_b,
    django_capture_on_commit_callbacks,
):
    amina, _bilal = two_clients
    waiting = person(organisation_b, caseworker_b, "Dounia")
    enrol(participant=waiting, module=shared_module, by=caseworker_b)
    enrolment = Enrolment.objects.get(participant=amina, module=shared_module)
    mails = sent(
        django_capture_on_commit_callbacks,
        lambda: withdraw(enrolment=enrolment, by=caseworker_a),
    )
    assert list(mails) == [caseworker_b.email]
    assert "Dounia X" in mails[caseworker_b.email].body
    assert "eerste op de wachtlijst" in mails[caseworker_b.email].body


def test_promotion_by_more_places_names_each_caseworkers_own_and_claims_no_first(
    shared_module,
    two_clients,
    organisation_a,
    organisation_b,
    caseworker_a,
    caseworker_b,
    django_capture_on_commit_callbacks,
):
    waiting = [
        person(organisation_a, caseworker_a, "Emre"),
        person(organisation_b, caseworker_b, "Fatima"),
        person(organisation_a, caseworker_a, "Gita"),
    ]
    for participant in waiting:
        enrol(
            participant=participant,
            module=shared_module,
            by=caseworker_a if participant.organisation == organisation_a else caseworker_b,
        )
    shared_module.capacity = 5
    shared_module.save()
    mails = sent(django_capture_on_commit_callbacks, lambda: fill_free_places(module=shared_module))
    assert set(mails) == {caseworker_a.email, caseworker_b.email}
    to_a, to_b = mails[caseworker_a.email].body, mails[caseworker_b.email].body
    assert "Emre X" in to_a and "Gita X" in to_a and "Fatima" not in to_a
    assert "Fatima X" in to_b and "Emre" not in to_b and "Gita" not in to_b
    assert "eerste" not in to_a and "eerste" not in to_b
    assert "Meer plaatsen" in mails[caseworker_a.email].subject


@pytest.mark.parametrize("kind", MailKind.values)
def test_switching_off_a_kind_stops_exactly_that_kind(kind, organisation_a, caseworker_a):
    participant = person(organisation_a, caseworker_a, "Amina")
    set_mail_preferences(user=caseworker_a, wanted=set(MailKind.values) - {kind})
    for other in MailKind.values:
        expected = [] if other == kind else [caseworker_a.email]
        assert caseworker_emails_for([participant], kind=other)[participant.pk] == expected


def test_an_own_caseworker_who_switched_off_is_not_replaced_by_colleagues(
    organisation_a, caseworker_a
):
    colleague = f.UserFactory(username="colleague_a")
    f.MembershipFactory(user=colleague, role="caseworker", office=None, organisation=organisation_a)
    participant = person(organisation_a, caseworker_a, "Amina")
    set_mail_preferences(user=caseworker_a, wanted=set())
    assert caseworker_emails_for([participant], kind=MailKind.ENROLMENT)[participant.pk] == []
    # A client without a present caseworker goes to the colleagues who want it.
    orphan = person(organisation_a, None, "Badr")
    assert caseworker_emails_for([orphan], kind=MailKind.ENROLMENT)[orphan.pk] == [colleague.email]


def test_switched_off_session_mail_is_not_sent_but_enrolment_mail_is(
    client,
    shared_module,
    organisation_a,
    caseworker_a,
    staff_a,
    django_capture_on_commit_callbacks,
):
    client.force_login(caseworker_a)
    wanted = [k for k in MailKind.values if k != MailKind.SESSION_CHANGE]
    response = client.post(reverse("modules:mail_preferences"), {"wanted": wanted})
    assert response.status_code == 302
    assert list(MailOptOut.objects.values_list("user", "kind")) == [
        (caseworker_a.pk, "session_change")
    ]
    amina = f.ParticipantFactory(organisation=organisation_a, caseworker=caseworker_a)
    mails = sent(
        django_capture_on_commit_callbacks,
        lambda: enrol(participant=amina, module=shared_module, by=caseworker_a),
    )
    assert list(mails) == [caseworker_a.email]
    session = shared_module.sessions.get()
    mails = sent(
        django_capture_on_commit_callbacks,
        lambda: cancel_session(session=session, reason="Ziek", by=staff_a),
    )
    assert mails == {}


def test_account_page_shows_the_mail_settings_with_what_is_off(client, caseworker_a):
    set_mail_preferences(user=caseworker_a, wanted={MailKind.ENROLMENT})
    client.force_login(caseworker_a)
    html = client.get(reverse("account")).content.decode()
    assert "Mails over cliënten" in html
    assert 'value="enrolment" class="form-check-input" id="id_wanted_0" checked' in html
    assert 'value="promotion" class="form-check-input" id="id_wanted_1">' in html


def test_account_page_tells_staff_they_get_no_client_mail(client, staff_a):
    client.force_login(staff_a)
    html = client.get(reverse("account")).content.decode()
    assert "modules/account/mail" not in html
    assert reverse("modules:mail_preferences") not in html
