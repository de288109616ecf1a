"""Rate limits per API token (each token its own budget), per user for the browser session."""

from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class PerTokenRateThrottle(SimpleRateThrottle):
    """The rate is API_THROTTLE_RATE (settings); counted in Django's cache.

    The default cache is per process: behind several workers each keeps its own count, so the
    real limit is the rate times the number of workers (docs/api.md).
    """

    scope = "api"

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
