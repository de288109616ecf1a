from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .policy import has_authenticator, needs_second_step


class SecondFactorRequiredMiddleware:
    """Until the second step is done, every page leads to it: the set-up page for a user who
    must have an authenticator and has none, the verification page for everyone with one.
    Only the two-step pages, logging out and the language switch stay open.

    After OTPMiddleware (it sets `user.is_verified()`) and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not self._open(request.path) and needs_second_step(user):
            target = "twofactor:verify" if has_authenticator(user) else "twofactor:setup"
            url = reverse(target)
            if request.method == "GET" and request.path != reverse("home"):
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(
            (reverse("twofactor:overview"), reverse("logout"), reverse("set_language"))
        )
