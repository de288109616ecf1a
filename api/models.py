"""Secrets that let other systems in (API tokens, calendar feeds), client imports, and the
answers kept for idempotent API requests.

Secrets are stored as SHA-256 hashes only: the token itself is shown once, when it is made.
A token carries 256 random bits, so a fast hash is enough (nothing to brute-force).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models import PartnerOrganisation


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: acts as its user, until it expires or is revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(
        _("first characters"), max_length=12, help_text=_("To recognise the token; not secret.")
    )
    key_hash = models.CharField(_("hash of the token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class CalendarFeed(models.Model):
    """A user's private iCalendar feed: the secret in its URL is the only key."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    prefix = models.CharField(_("first characters"), max_length=12)
    key_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True, editable=False)
    # Set again when the address is regenerated.
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"


class ClientImport(models.Model):
    """One spreadsheet of clients: previewed, then imported (or left to expire).

    `rows` holds the checked rows between preview and import only; it is emptied when the
    import runs or the preview expires, so no personal data stays here. The history keeps who
    imported how many (not the rows).
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="client_imports",
        verbose_name=_("imported by"),
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="client_imports",
        verbose_name=_("organisation"),
    )
    file_format = models.CharField(_("file format"), max_length=10)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    new_count = models.PositiveIntegerField(_("new clients"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplicates"), default=0)
    refused_count = models.PositiveIntegerField(_("refused rows"), default=0)
    imported_count = models.PositiveIntegerField(_("clients imported"), default=0)
    rows = models.JSONField(_("checked rows"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["rows"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("client import")
        verbose_name_plural = _("client imports")

    def __str__(self) -> str:
        return f"{self.organisation} {self.created_at:%d/%m/%Y %H:%M}"


class IdempotentRequest(models.Model):
    """The answer to an API request sent with an Idempotency-Key, replayed on a retry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=100)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    response = models.JSONField(_("response"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_user_and_key"),
            models.CheckConstraint(name="idempotency_key_not_empty", condition=~Q(key="")),
        ]

    def __str__(self) -> str:
        return self.key
