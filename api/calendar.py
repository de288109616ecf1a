"""The iCalendar feed: sessions as events, in Europe/Brussels time, without personal data.

Each event's UID is the session's id (so a moved session moves in the calendar instead of
appearing twice), SEQUENCE counts its changes, and a cancelled session stays in the feed
with STATUS:CANCELLED. The time zone definition (VTIMEZONE) is generated from the tz
database for exactly the feed's window.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from modules.models import Session

TIME_ZONE = "Europe/Brussels"
UID_DOMAIN = "partnerwerk"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{UID_DOMAIN}"


def _event(session: Session, zone: ZoneInfo, stamp: datetime.datetime) -> Event:
    module = session.module
    cancelled = session.status == Session.Status.CANCELLED
    summary = module.title + (f" – {session.topic}" if session.topic else "")
    if cancelled:
        summary = _("Cancelled: %(title)s") % {"title": summary}
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.datetime.combine(session.date, session.start_time, zone))
    event.add("dtend", datetime.datetime.combine(session.date, session.end_time, zone))
    event.add("summary", summary)
    if session.effective_location:
        event.add("location", session.effective_location)
    details = [
        _("Module: %(title)s") % {"title": module.title},
        _("Office: %(office)s") % {"office": module.partnership.office.name},
    ]
    if cancelled and session.cancel_reason:
        details.append(_("Reason for cancellation: %(reason)s") % {"reason": session.cancel_reason})
    event.add("description", "\n".join(details))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", max(getattr(session, "changes", 1) - 1, 0))
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def build_calendar(
    sessions: Iterable[Session], *, name: str, window: tuple[datetime.date, datetime.date]
) -> bytes:
    """The feed as iCalendar bytes. Texts in the default language (Dutch): a calendar
    program fetches without the user's language choice."""
    zone = ZoneInfo(TIME_ZONE)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    with translation.override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", "-//Partnerwerk//Sessies//NL")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TIME_ZONE)
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", "PT1H")
        for session in sessions:
            calendar.add_component(_event(session, zone, stamp))
        first, last = window
        calendar.add_missing_timezones(
            first_date=first - datetime.timedelta(days=1),
            last_date=last + datetime.timedelta(days=1),
        )
    return calendar.to_ical()
