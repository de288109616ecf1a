"""Writes for the api app: API tokens, calendar feeds, idempotent answers and client imports.

Clients are registered only through `modules.services.register_participant`, so every rule of
that service (and whatever is added to it) holds for the API and the import as for the page.
"""

import datetime
import hashlib
import json
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import update_change_reason

from modules.services import DomainError, register_participant
from partnerships.access import organisation_id_of, role_of

from .imports import RowResult, check_rows
from .models import ApiToken, CalendarFeed, ClientImport, IdempotentRequest, hash_secret
from .queries import (
    active_api_token,
    api_tokens_of,
    calendar_feed_for_secret,
    expired_client_imports,
    may_have_calendar,
)

MAX_ACTIVE_TOKENS = 10
# last_used_at is written at most this often per token: a busy integration must not turn
# every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
IDEMPOTENCY_HOURS = 24


def _secret(kind: str) -> str:
    return f"{kind}_{secrets.token_urlsafe(32)}"


# --- API tokens ---------------------------------------------------------------------------


def create_api_token(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns it with its secret, which is never stored or shown
    again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, e.g. the system that will use it."))
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError(
            _("A token is valid for 1 to %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS}
        )
    if role_of(user) is None:
        raise DomainError(
            _("Your account has no role in Partnerwerk, so a token would open nothing.")
        )
    with transaction.atomic():
        active = api_tokens_of(user).filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise DomainError(
                _("You have %(n)d active tokens. Revoke one you no longer use first.")
                % {"n": MAX_ACTIVE_TOKENS}
            )
        raw = _secret("pw")
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=raw[:10],
            key_hash=hash_secret(raw),
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
    return token, raw


def revoke_api_token(*, token: ApiToken, by) -> ApiToken:
    """Revoke one of `by`'s own tokens; it stops working at once."""
    if token.user_id != by.pk:
        raise DomainError(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_api_token(raw: str) -> ApiToken | None:
    """The active token with this secret (and note when it was used), or None."""
    token = active_api_token(raw)
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # update(), not save(): a use is not a change worth a history record.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- calendar feeds -------------------------------------------------------------------------


def create_calendar_feed(*, user) -> tuple[CalendarFeed, str]:
    """Make (or make anew) the user's calendar feed address; an older address stops working.

    Returns the feed and its secret, which is shown once and stored only as a hash."""
    if not may_have_calendar(user):
        raise DomainError(_("There is no calendar feed for your role."))
    raw = _secret("cal")
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "prefix": raw[:10],
            "key_hash": hash_secret(raw),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    return feed, raw


def revoke_calendar_feed(*, user) -> bool:
    """Delete the user's feed: its address gives a 404 from now on. False if there was none."""
    feeds = list(CalendarFeed.objects.filter(user=user))
    for feed in feeds:
        feed.delete()  # one by one, so that the history records the deletion
    return bool(feeds)


def open_calendar_feed(raw: str) -> CalendarFeed | None:
    """The feed for this secret (and note when a calendar last read it), or None."""
    feed = calendar_feed_for_secret(raw)
    if feed is not None:
        now = timezone.now()
        if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_RESOLUTION:
            CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed


# --- idempotent API requests ----------------------------------------------------------------


def request_fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_answer(*, user, key: str) -> IdempotentRequest | None:
    since = timezone.now() - datetime.timedelta(hours=IDEMPOTENCY_HOURS)
    return IdempotentRequest.objects.filter(user=user, key=key, created_at__gte=since).first()


def remember_answer(*, user, key: str, fingerprint: str, status_code: int, response: Any) -> None:
    """Keep an answer for a day; a key reused after that starts afresh."""
    since = timezone.now() - datetime.timedelta(hours=IDEMPOTENCY_HOURS)
    IdempotentRequest.objects.filter(created_at__lt=since).delete()
    IdempotentRequest.objects.filter(user=user, key=key).delete()
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(
                user=user,
                key=key,
                fingerprint=fingerprint,
                status_code=status_code,
                response=response,
            )
    except IntegrityError:
        pass  # a simultaneous retry stored the same answer first


# --- client import --------------------------------------------------------------------------


def preview_client_import(*, by, dataset_rows: list[dict], file_format: str) -> ClientImport:
    """Check the rows of an uploaded sheet and keep the result as a preview (nothing is
    registered yet). Expired previews of anyone are emptied on the way."""
    organisation_id = organisation_id_of(by)
    if organisation_id is None:
        raise DomainError(_("Only a partner caseworker can register clients."))
    for stale in expired_client_imports():
        stale.rows = []
        stale.save(update_fields=["rows"])
    results = check_rows(dataset_rows, by=by)
    counts = _count(results)
    return ClientImport.objects.create(
        user=by,
        organisation_id=organisation_id,
        file_format=file_format,
        row_count=len(results),
        new_count=counts[RowResult.NEW],
        duplicate_count=counts[RowResult.DUPLICATE],
        refused_count=counts[RowResult.REFUSED],
        rows=[result.as_dict() for result in results],
    )


def _count(results: list[RowResult]) -> dict[str, int]:
    counts = {RowResult.NEW: 0, RowResult.DUPLICATE: 0, RowResult.REFUSED: 0}
    for result in results:
        counts[result.outcome] += 1
    return counts


def run_client_import(*, client_import: ClientImport, by) -> list[RowResult]:
    """Register the preview's new clients in one transaction, each through the registration
    service; rows checked again (someone may have registered the same client meanwhile).

    A row the service refuses is skipped with its message; the others are committed
    together. The preview's rows are emptied; the history keeps who imported how many.
    """
    if client_import.user_id != by.pk or client_import.status != ClientImport.Status.PREVIEWED:
        raise DomainError(_("This import is no longer waiting to be imported."))
    reason = str(_("Imported from a spreadsheet (import %(n)d)") % {"n": client_import.pk})
    with transaction.atomic():
        # Lock the preview: a double click must not import the same rows twice.
        client_import = ClientImport.objects.select_for_update().get(pk=client_import.pk)
        if client_import.status != ClientImport.Status.PREVIEWED:
            raise DomainError(_("This import is no longer waiting to be imported."))
        stored = [RowResult.from_dict(row) for row in client_import.rows]
        pending = [row for row in stored if row.outcome == RowResult.NEW]
        rechecked = check_rows([row.data for row in pending], by=by)
        results = []
        for result in rechecked:
            if result.outcome == RowResult.NEW:
                try:
                    participant = register_participant(by=by, fields=result.fields)
                except DomainError as error:
                    result.refuse(" ".join(error.messages))
                else:
                    update_change_reason(participant, reason)
                    result.outcome = RowResult.IMPORTED
                    result.existing_pk = participant.pk
            results.append(result)
        client_import.status = ClientImport.Status.IMPORTED
        client_import.imported_count = sum(r.outcome == RowResult.IMPORTED for r in results)
        client_import.imported_at = timezone.now()
        client_import.rows = []
        client_import.save()
    return results
