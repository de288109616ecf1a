"""Outgoing mail, queued durably (django-post-office) in the transaction of the change that
causes it: a rollback sends nothing, and a failing SMTP server loses nothing — the worker
(`manage.py send_queued_mail`, docker-compose's `mailer`) retries, and the admin shows
queued and failed mail under *Post Office*.

With `MAIL_SEND_ON_COMMIT` on (the default with DEBUG, so `make run` shows mail on the
console at once) a queued mail is also handed to the backend right after the commit; if
that fails it simply stays queued for the worker.
"""

import logging

from django.conf import settings
from django.db import transaction
from post_office import mail
from post_office.models import STATUS, Email

from ..models import MailKind, MailOptOut

logger = logging.getLogger(__name__)


def queue_mail(*, to: str, subject: str, body: str) -> Email:
    """Queue one plain-text mail to one address; sent after the commit by the worker."""
    email = mail.send(
        recipients=[to],
        sender=settings.DEFAULT_FROM_EMAIL,
        subject=str(subject),
        message=str(body),
        priority="medium",
    )
    if settings.MAIL_SEND_ON_COMMIT:
        transaction.on_commit(lambda pk=email.pk: _dispatch(pk), robust=True)
    return email


def _dispatch(pk: int) -> None:
    email = Email.objects.filter(pk=pk, status=STATUS.queued).first()
    if email is None:
        return
    try:
        # commit=False: on failure the row stays *queued* (not *failed*), so the worker's
        # retries still pick it up.
        email.dispatch(commit=False)
    except Exception:  # any backend error: the mail waits for the worker
        logger.warning("Mail %s stays queued: sending it failed", pk)  # no personal data
        return
    email.status = STATUS.sent
    email.save(update_fields=["status"])


def set_mail_preferences(*, user, wanted: set[str]) -> set[str]:
    """Keep the kinds of mail in `wanted` on and switch every other kind off; returns the kinds
    now off. `caseworker_emails_for` reads them, so every mail about a client follows them."""
    off = {kind for kind in MailKind.values if kind not in wanted}
    with transaction.atomic():
        MailOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
        present = set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        MailOptOut.objects.bulk_create(
            [MailOptOut(user=user, kind=kind) for kind in sorted(off - present)]
        )
    return off
