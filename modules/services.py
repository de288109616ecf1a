"""Writes for the modules app: each function validates, changes state in a transaction,
and returns the result or raises `DomainError` with a translated message."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule refused the action; the message is for the user, in their language."""


# --- planning: sessions, attendance, completion, cancellation (staff) ------------------


# --- offer requests and evaluations (staff) --------------------------------------------


# --- enrolment: enrol, withdraw, waitlist promotion (caseworkers) ------------------------


# --- personal data: anonymisation, export ------------------------------------------------
