"""The account page's "Mail about clients" section (the page itself is integratie's /account/)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from partnerships.access import CASEWORKER, role_of

from ..forms.account import MailPreferencesForm
from ..models import MailKind
from ..queries import mail_kinds_off_for
from ..services import set_mail_preferences

ANCHOR = "mail"


def mail_section(request) -> dict:
    """The section's data: caseworkers get mail about their clients; others get none."""
    off = mail_kinds_off_for(request.user)
    wanted = [kind for kind in MailKind.values if kind not in off]
    return {
        "allowed": role_of(request.user) == CASEWORKER,
        "form": MailPreferencesForm(initial={"wanted": wanted}),
    }


class MailPreferencesView(LoginRequiredMixin, View):
    def post(self, request):
        form = MailPreferencesForm(request.POST)
        if form.is_valid():
            set_mail_preferences(user=request.user, wanted=set(form.cleaned_data["wanted"]))
            messages.success(request, _("Your mail settings are saved."))
        else:
            messages.error(request, _("These mail settings could not be saved."))
        return redirect(reverse("account") + f"#{ANCHOR}")
