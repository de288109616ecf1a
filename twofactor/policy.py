"""Who must pass the second step, in one place: the middleware and the views ask here."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.access import MANAGER, role_of


def has_authenticator(user) -> bool:
    """A confirmed authenticator app is set up (recovery codes come with it)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def second_factor_required(user) -> bool:
    """With MFA_REQUIRED on, everyone but managers (who see no personal data and may opt in);
    administrators and users of the Django admin always."""
    if not settings.MFA_REQUIRED:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return role_of(user) != MANAGER


def needs_second_step(user) -> bool:
    """Logged in with the password, but the second step is still to do: set up (required,
    no authenticator yet) or verify (an authenticator is set up, also a manager's by choice)."""
    if not user.is_authenticated or user.is_verified():
        return False
    return second_factor_required(user) or has_authenticator(user)
