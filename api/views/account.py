"""The account page's API token and calendar sections: create, show once, revoke.

A new secret is handed to the next view of the account page through the session (never a
URL, a message cookie or a log) and removed from the session when shown.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from modules.services import DomainError

from ..forms import ApiTokenForm
from ..queries import api_tokens_of, calendar_feed_of, may_have_calendar
from ..services import (
    create_api_token,
    create_calendar_feed,
    revoke_api_token,
    revoke_calendar_feed,
)

NEW_TOKEN_SESSION_KEY = "api_new_token"
NEW_CALENDAR_SESSION_KEY = "api_new_calendar_secret"


def _account(anchor: str):
    return redirect(reverse("account") + f"#{anchor}")


def tokens_section(request) -> dict:
    """The API token section's data (for integratie's account page)."""
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    return {
        "tokens": list(api_tokens_of(request.user)),
        "form": ApiTokenForm(),
        "new_token": new,
    }


def calendar_section(request) -> dict:
    """The calendar feed section's data; the full address only right after it was made."""
    secret = request.session.pop(NEW_CALENDAR_SESSION_KEY, None)
    return {
        "allowed": may_have_calendar(request.user),
        "feed": calendar_feed_of(request.user),
        "new_url": (
            request.build_absolute_uri(reverse("api:calendar_feed", args=[secret]))
            if secret
            else None
        ),
    }


class TokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            for name, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{form.fields[name].label}: {error}")
            return _account("api-tokens")
        try:
            token, secret = create_api_token(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "secret": secret}
        return _account("api-tokens")


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(api_tokens_of(request.user), pk=pk)
        revoke_api_token(token=token, by=request.user)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return _account("api-tokens")


class CalendarFeedCreateView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            _feed, secret = create_calendar_feed(user=request.user)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session[NEW_CALENDAR_SESSION_KEY] = secret
        return _account("calendar")


class CalendarFeedRevokeView(LoginRequiredMixin, View):
    def post(self, request):
        if revoke_calendar_feed(user=request.user):
            messages.success(request, _("The calendar address is revoked: it no longer works."))
        return _account("calendar")
