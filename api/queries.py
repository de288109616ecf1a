"""Reads for the api app: a user's tokens, feed and imports, and what their calendar shows.

Everything about modules, sessions and clients is read through the `*_visible_to` functions
of the apps below, so the API, the feeds and the import see exactly what the pages show.
"""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from modules.models import Enrolment, Module, Session
from modules.queries import enrolments_visible_to, sessions_visible_to
from partnerships.access import CASEWORKER, STAFF, organisation_id_of, role_of

from .models import ApiToken, CalendarFeed, ClientImport, hash_secret

# Who gets a calendar feed: staff (their office's sessions) and caseworkers (their caseload's
# modules, and the modules they facilitate). Managers see counts only; administrators have
# every office and no calendar of their own.
CALENDAR_ROLES = (STAFF, CASEWORKER)
# The feed's window: what a calendar needs, and bounded however many years of sessions exist.
FEED_PAST_DAYS = 180
FEED_FUTURE_DAYS = 550
# Enrolments that do not put a module in the caseworker's calendar: not (or no longer) coming.
NOT_ATTENDING = (Enrolment.Status.WAITLISTED, Enrolment.Status.WITHDRAWN)
# A preview waits this long for its "import" click; then its rows are dropped.
IMPORT_PREVIEW_HOURS = 24


def api_tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def active_api_token(raw: str) -> ApiToken | None:
    """The unrevoked, unexpired token of an active user with this secret, or None."""
    if not raw.startswith("pw_") or len(raw) > 100:
        return None
    return (
        ApiToken.objects.select_related("user", "user__membership")
        .filter(
            key_hash=hash_secret(raw),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def calendar_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_for_secret(raw: str) -> CalendarFeed | None:
    """The feed with this secret, if its user is still active and may have a calendar."""
    if not raw.startswith("cal_") or len(raw) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "user__membership")
        .filter(key_hash=hash_secret(raw), user__is_active=True)
        .first()
    )
    if feed is None or role_of(feed.user) not in CALENDAR_ROLES:
        return None
    return feed


def may_have_calendar(user) -> bool:
    return role_of(user) in CALENDAR_ROLES


def feed_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return (
        today - datetime.timedelta(days=FEED_PAST_DAYS),
        today + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )


def feed_sessions_for(user, *, today: datetime.date) -> QuerySet[Session]:
    """The sessions in a user's calendar feed, within the feed window, in one query.

    Staff: every session of their office's modules. Caseworkers: the sessions of modules in
    which a client of theirs (`Participant.caseworker`) is enrolled, and of the modules they
    facilitate (the agreement's contact person at their organisation with their e-mail).
    Each session carries `changes`: how often it was changed (the event's SEQUENCE).
    """
    role = role_of(user)
    sessions = sessions_visible_to(user)
    if role == CASEWORKER:
        caseload = (
            enrolments_visible_to(user)
            .filter(participant__caseworker=user)
            .exclude(status__in=NOT_ATTENDING)
            .values("module_id")
        )
        mine = Q(module_id__in=caseload)
        if user.email:
            facilitated = Module.objects.filter(
                partner_facilitator__organisation_id=organisation_id_of(user),
                partner_facilitator__email__iexact=user.email,
            ).values("pk")
            mine |= Q(module_id__in=facilitated)
        sessions = sessions.filter(mine)
    elif role != STAFF:
        return Session.objects.none()
    first, last = feed_window(today)
    changes = (
        Session.history.model.objects.filter(id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(n=Count("history_id"))
        .values("n")[:1]
    )
    return (
        sessions.filter(date__gte=first, date__lte=last)
        .select_related("module", "module__partnership__office")
        .annotate(changes=Coalesce(Subquery(changes, output_field=IntegerField()), 1))
        .order_by("date", "start_time", "pk")
    )


def client_imports_visible_to(user) -> QuerySet[ClientImport]:
    """A caseworker's own imports: the rows in a preview are for its uploader's eyes only."""
    if role_of(user) != CASEWORKER:
        return ClientImport.objects.none()
    return ClientImport.objects.filter(user=user, organisation_id=organisation_id_of(user))


def pending_client_import(user, pk) -> ClientImport | None:
    """A preview of the user's that has not been imported and has not expired."""
    since = timezone.now() - datetime.timedelta(hours=IMPORT_PREVIEW_HOURS)
    return (
        client_imports_visible_to(user)
        .filter(pk=pk, status=ClientImport.Status.PREVIEWED, created_at__gte=since)
        .first()
    )


def expired_client_imports() -> QuerySet[ClientImport]:
    """Previews past their time that still hold rows (to be emptied)."""
    since = timezone.now() - datetime.timedelta(hours=IMPORT_PREVIEW_HOURS)
    return ClientImport.objects.filter(
        status=ClientImport.Status.PREVIEWED, created_at__lt=since
    ).exclude(rows=[])
