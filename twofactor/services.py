"""Writes for the second step: set up an authenticator, recovery codes, switch off."""

from base64 import b32encode

import django_otp
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.services import DomainError

from .policy import has_authenticator, second_factor_required

RECOVERY_CODE_COUNT = 10
WRONG_CODE = _("This code is not right. Check the time on your phone and try again.")


def pending_authenticator(*, user) -> TOTPDevice:
    """The not yet confirmed authenticator being set up (made on first call)."""
    if has_authenticator(user):
        raise DomainError(_("You already have an authenticator app set up."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def confirm_authenticator(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the app with a code it shows; returns the new recovery codes (shown once)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or has_authenticator(user):
            raise DomainError(_("You already have an authenticator app set up."))
        if not device.verify_token(token):
            raise DomainError(
                {
                    "token": [
                        _("This code is not right. Check the time on your phone and try again.")
                    ]
                }
            )
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return new_recovery_codes(user=user)


def new_recovery_codes(*, user) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        return codes


def remove_second_factor(*, user) -> None:
    """Switch the second step off: only where it is not required (a manager's choice)."""
    if second_factor_required(user):
        raise DomainError(_("Two-step login is required for your account."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def readable_secret(device: TOTPDevice) -> str:
    """The key for typing it into an app by hand: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def verify_code(*, user, token: str):
    """The device that accepts `token` (the app's code or a recovery code, used up); a
    DomainError when none does. django-otp slows down repeated wrong codes per device."""
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    if devices and not any(device.verify_is_allowed()[0] for device in devices):
        raise DomainError(_("Too many wrong codes. Wait a minute and try again."))
    for device in devices:
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    raise DomainError(WRONG_CODE)
