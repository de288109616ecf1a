from django.apps import AppConfig


class IntegratieConfig(AppConfig):
    name = "integratie"
    verbose_name = "Partnerwerk"
