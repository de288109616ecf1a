"""The private calendar feed, parsed with icalendar: who gets which sessions, in Brussels time
with a VTIMEZONE, stable UIDs, cancellations, and never a client's name."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from api.models import CalendarFeed
from api.services import create_calendar_feed
from modules.models import Session
from modules.services import cancel_session, move_session
from tests import factories as f

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, 0, tzinfo=BRUSSELS), tick=False):
        yield


@pytest.fixture
def world(partnership_a, partnership_b, organisation_a, caseworker_a):
    module = f.ModuleFactory(
        partnership=partnership_a, title="Wegwijs in Antwerpen", location="Zaal 3"
    )
    winter = f.SessionFactory(
        module=module,
        date=datetime.date(2026, 12, 7),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(12, 0),
        topic="Huisarts",
    )
    summer = f.SessionFactory(
        module=module,
        date=datetime.date(2027, 6, 7),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(12, 0),
        location="Stadhuis",
    )
    other_module = f.ModuleFactory(partnership=partnership_a, title="Andere module A")
    other = f.SessionFactory(module=other_module, date=datetime.date(2026, 12, 8))
    far_past = f.SessionFactory(module=module, date=datetime.date(2020, 1, 6))
    office_b = f.SessionFactory(
        module=f.ModuleFactory(partnership=partnership_b, title="Module van kantoor B"),
        date=datetime.date(2026, 12, 9),
    )
    client = f.ParticipantFactory(
        organisation=organisation_a,
        caseworker=caseworker_a,
        first_name="Zeynep",
        last_name="Yilmaz-Geheim",
    )
    f.EnrolmentFactory(participant=client, module=module)
    waiting = f.ParticipantFactory(organisation=organisation_a, caseworker=caseworker_a)
    f.EnrolmentFactory(
        participant=waiting, module=other_module, status="waitlisted", waitlist_position=1
    )
    return {
        "module": module,
        "winter": winter,
        "summer": summer,
        "other": other,
        "far_past": far_past,
        "office_b": office_b,
        "client": client,
    }


def feed_url(user) -> str:
    _feed, secret = create_calendar_feed(user=user)
    return reverse("api:calendar_feed", args=[secret])


def read(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_staff_get_their_offices_sessions_in_brussels_time(client, staff_a, world):
    calendar = read(client, feed_url(staff_a))
    events = events_by_uid(calendar)

    assert set(events) == {
        f"session-{world[name].pk}@partnerwerk" for name in ("winter", "summer", "other")
    }
    winter = events[f"session-{world['winter'].pk}@partnerwerk"]
    summer = events[f"session-{world['summer'].pk}@partnerwerk"]
    assert winter.start == datetime.datetime(2026, 12, 7, 9, 30, tzinfo=BRUSSELS)
    assert winter.start.utcoffset() == datetime.timedelta(hours=1)
    assert summer.start.utcoffset() == datetime.timedelta(hours=2)
    assert winter.end == datetime.datetime(2026, 12, 7, 12, 0, tzinfo=BRUSSELS)
    assert winter["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert str(winter["SUMMARY"]) == "Wegwijs in Antwerpen – Huisarts"
    assert str(winter["LOCATION"]) == "Zaal 3"
    assert str(summer["LOCATION"]) == "Stadhuis"
    assert str(winter["STATUS"]) == "CONFIRMED"


def test_the_feed_carries_a_vtimezone_that_matches_the_tz_database(client, staff_a, world):
    calendar = read(client, feed_url(staff_a))

    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Brussels"
    zone = timezone.to_tz()
    for moment in (datetime.datetime(2026, 12, 7, 9, 30), datetime.datetime(2027, 6, 7, 9, 30)):
        assert zone.utcoffset(moment) == moment.replace(tzinfo=BRUSSELS).utcoffset()


def test_a_moved_session_keeps_its_uid_and_a_cancelled_one_shows_cancelled(client, staff_a, world):
    url = feed_url(staff_a)
    uid = f"session-{world['winter'].pk}@partnerwerk"
    before = events_by_uid(read(client, url))[uid]

    move_session(
        session=world["winter"],
        date=datetime.date(2026, 12, 14),
        start_time=datetime.time(13, 0),
        end_time=datetime.time(15, 0),
        by=staff_a,
    )
    moved = events_by_uid(read(client, url))[uid]
    cancel_session(session=Session.objects.get(pk=world["winter"].pk), reason="Staking", by=staff_a)
    cancelled = events_by_uid(read(client, url))[uid]

    assert moved.start == datetime.datetime(2026, 12, 14, 13, 0, tzinfo=BRUSSELS)
    assert int(moved["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert "Staking" in str(cancelled["DESCRIPTION"])


def test_caseworkers_get_the_modules_their_clients_are_enrolled_in(client, caseworker_a, world):
    events = events_by_uid(read(client, feed_url(caseworker_a)))

    # Not the module where the only client of theirs waits: a waitlisted client is not coming.
    assert set(events) == {f"session-{world[name].pk}@partnerwerk" for name in ("winter", "summer")}


def test_a_facilitator_gets_the_modules_they_facilitate(
    client, caseworker_a, world, organisation_a
):
    caseworker_a.email = "Facilitator@OCMW-a.be"
    caseworker_a.save()
    contact = f.ContactPersonFactory(organisation=organisation_a, email="facilitator@ocmw-a.be")
    facilitated = f.ModuleFactory(
        partnership=world["module"].partnership, partner_facilitator=contact, title="Begeleid"
    )
    session = f.SessionFactory(module=facilitated, date=datetime.date(2027, 1, 11))
    # The same address at another partner of the same agreement is somebody else.
    other_partner = f.PartnerOrganisationFactory(name="VZW C")
    from partnerships.models import PartnershipPartner

    PartnershipPartner.objects.create(
        partnership=world["module"].partnership, organisation=other_partner
    )
    stranger = f.ContactPersonFactory(organisation=other_partner, email="facilitator@ocmw-a.be")
    f.SessionFactory(
        module=f.ModuleFactory(
            partnership=world["module"].partnership, partner_facilitator=stranger
        ),
        date=datetime.date(2027, 1, 12),
    )

    events = events_by_uid(read(client, feed_url(caseworker_a)))

    assert f"session-{session.pk}@partnerwerk" in events
    assert len(events) == 3


def test_no_client_name_or_personal_data_in_any_feed(client, staff_a, caseworker_a, world):
    participant = world["client"]
    participant.national_register_number = f.make_national_register_number(7)
    participant.email = "zeynep@example.be"
    participant.phone = "0470 11 22 33"
    participant.save()
    for user in (staff_a, caseworker_a):
        text = client.get(feed_url(user)).content.decode()
        for secret in (
            participant.first_name,
            participant.last_name,
            participant.national_register_number,
            participant.email,
            participant.phone,
            caseworker_a.username,
        ):
            assert secret not in text, (user, secret)


def test_outsiders_see_nothing_of_office_a(client, staff_b, caseworker_b, world):
    staff_b_events = events_by_uid(read(client, feed_url(staff_b)))
    caseworker_b_events = events_by_uid(read(client, feed_url(caseworker_b)))

    assert set(staff_b_events) == {f"session-{world['office_b'].pk}@partnerwerk"}
    assert caseworker_b_events == {}


def test_a_revoked_or_regenerated_address_gives_404(client, staff_a, world):
    old = feed_url(staff_a)
    new = feed_url(staff_a)  # regenerate
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200

    client.force_login(staff_a)
    client.post(reverse("api:calendar_revoke"))
    client.logout()

    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.get("/calendar/cal_nonsense.ics").status_code == 404
    assert client.get("/calendar/x.ics").status_code == 404


def test_the_address_is_shown_once_on_the_account_page(client, staff_a, world):
    client.force_login(staff_a)

    client.post(reverse("api:calendar_create"))
    first = client.get(reverse("account")).content.decode()
    second = client.get(reverse("account")).content.decode()

    feed = CalendarFeed.objects.get(user=staff_a)
    assert "http://testserver/calendar/cal_" in first
    assert "http://testserver/calendar/cal_" not in second
    assert feed.prefix in second
    assert feed.history.get().history_user == staff_a


def test_managers_and_administrators_get_no_feed(client, manager, admin):
    for user in (manager, admin):
        client.force_login(user)
        response = client.post(reverse("api:calendar_create"), follow=True)
        assert "Er is geen agenda-feed voor jouw rol." in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_a_feed_of_a_user_who_left_gives_404(client, staff_a, world):
    url = feed_url(staff_a)
    staff_a.is_active = False
    staff_a.save()

    assert client.get(url).status_code == 404


def test_the_feed_reads_in_a_fixed_number_of_queries(client, staff_a, world):
    url = feed_url(staff_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(20):
        f.SessionFactory(
            module=world["module"], date=datetime.date(2027, 2, 1) + datetime.timedelta(days=day)
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 23
    assert len(many) == len(few)


def test_a_caseworkers_feed_leaves_out_a_colleagues_clients(
    client, caseworker_a, organisation_a, world
):
    colleague = f.UserFactory(username="collega_a")
    f.MembershipFactory(user=colleague, role="caseworker", office=None, organisation=organisation_a)
    theirs = f.ModuleFactory(partnership=world["module"].partnership, title="Module van collega")
    f.SessionFactory(module=theirs, date=datetime.date(2027, 1, 4))
    f.EnrolmentFactory(
        participant=f.ParticipantFactory(organisation=organisation_a, caseworker=colleague),
        module=theirs,
    )

    text = client.get(feed_url(caseworker_a)).content.decode()

    assert "Module van collega" not in text
    assert "Wegwijs in Antwerpen" in text
