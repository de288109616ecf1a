from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Connections (API, calendar, import)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the token authentication with drf-spectacular (OpenAPI security scheme).
        from . import authentication  # noqa: F401
