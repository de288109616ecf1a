"""The API documentation page: Swagger UI from drf-spectacular-sidecar's static files.

drf-spectacular's own Swagger view puts its set-up script and styles inline, which the
Content-Security-Policy (script-src 'self', style-src 'self') forbids. This page loads the
same bundle, and starts it from the project's own static file (static/js/api-docs.js), which
reads the schema's URL and the CSRF token from data attributes.
"""

from django.urls import reverse
from django.views.generic import TemplateView


class ApiDocsView(TemplateView):
    """Public, as the schema: the documentation holds no data. Trying a request out needs a
    login (the browser session) or a token."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            schema_url=reverse("api:schema"), account_url=reverse("account"), **kwargs
        )
