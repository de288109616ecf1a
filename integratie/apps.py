from django.apps import AppConfig


class IntegratieConfig(AppConfig):
    name = "integratie"
    verbose_name = "Partnerwerk"

    def ready(self) -> None:
        # The admin discovered every app's admin.py in its own ready(), which runs first.
        from django.contrib import admin

        from partnerships.admin import guard_date_hierarchies

        guard_date_hierarchies(admin.site)

        from .admin_choices import word_empty_choices

        word_empty_choices(admin.site)
