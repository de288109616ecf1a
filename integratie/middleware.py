from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy: no inline scripts or styles, nothing external."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The admin ships inline scripts of its own; keep it working.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
