from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = _("Modules and participants")

    def ready(self):
        from django.db.models.signals import post_save

        from .services.rollup import follow_lead_partner

        # The report's attendance rollup carries each module's lead partner: it follows a
        # module moved to another agreement and an agreement's new lead partner.
        for sender in ("modules.Module", "partnerships.Partnership"):
            post_save.connect(follow_lead_partner, sender=sender, dispatch_uid=f"rollup {sender}")
