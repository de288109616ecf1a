from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose English with the language switcher (a cookie).

    The browser's Accept-Language is ignored on purpose: agency staff often have an
    English browser or operating system but work, and report, in Dutch.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivateNoStoreMiddleware:
    """Nothing shown to a logged-in user may be kept by a browser or a proxy cache: a page
    can hold a revealed national register number or a client's data (issue 8).

    Overwrites whatever a view set: `no-store` wins over any `max-age` anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store, private"
        return response


def client_ip_address(request) -> str | None:
    """The client's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind TRUSTED_PROXY_COUNT reverse proxies the address is the one the outermost of them
    put in X-Forwarded-For (what a client writes there itself stands further left and is
    ignored); without proxies it is REMOTE_ADDR.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


class RequestStatsMiddleware:
    """For the benchmark only (settings: BENCH_STATS=1, never in production): the number of
    SQL statements and their time for this request, and the worker's pid and peak RSS, as
    response headers that bench/locustfile.py collects. No query text, no personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import os
        import resource
        import time

        from django.db import connections

        stats = {"queries": 0, "seconds": 0.0}

        def count(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["queries"] += 1
                stats["seconds"] += time.perf_counter() - started

        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        response["X-SQL-Queries"] = str(stats["queries"])
        response["X-SQL-Time-ms"] = f"{stats['seconds'] * 1000:.1f}"
        response["X-Worker-Pid"] = str(os.getpid())
        response["X-Worker-Peak-RSS-kB"] = str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return response
