"""The form renderer (settings.FORM_RENDERER): widgets through Jinja2, the rest as before.

Django renders every widget from a template; with its own template language a select of 40
options costs about 2 ms, with Jinja2 (the same markup: Django ships both sets in
django/forms/) a fraction of that (docs/performance.md, "CPU per request"). Widgets that only
exist as Django templates (the admin's, third-party ones) are still found: the renderer falls
back to Django's own engine.
"""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class JinjaFirstRenderer(Jinja2):
    def __init__(self):
        super().__init__()
        self.fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
