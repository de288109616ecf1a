"""The private calendar feed: no login, the secret in the URL is the key (404 otherwise)."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..calendar import build_calendar
from ..queries import feed_sessions_for, feed_window
from ..services import open_calendar_feed


@require_safe
def calendar_feed(request, secret: str):
    feed = open_calendar_feed(secret)
    if feed is None:
        raise Http404
    today = timezone.localdate()
    window = feed_window(today)
    sessions = feed_sessions_for(feed.user, today=today)
    body = build_calendar(sessions, name=_("Partnerwerk sessions"), window=window)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="partnerwerk.ics"'
    # The URL is a secret: no shared caches, no search engines.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
