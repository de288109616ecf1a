from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    """Two-step login: an authenticator app (TOTP) and recovery codes, with django-otp.

    Sits just above `partnerships` (it reads a user's role from `partnerships.access`)."""

    name = "twofactor"
    verbose_name = _("two-step login")
