"""The second step of logging in, and the page to manage it (`/account/two-factor/`).

Thin views: the rules are in `policy` (who must) and `services` (what changes)."""

import django_otp
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View

from partnerships.services import DomainError

from . import services
from .forms import CodeForm
from .policy import has_authenticator, needs_second_step, second_factor_required
from .qr import qr_data_uri


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


class OverviewView(LoginRequiredMixin, View):
    template_name = "twofactor/overview.html"

    def get(self, request):
        user = request.user
        if needs_second_step(user):
            return redirect("twofactor:verify" if has_authenticator(user) else "twofactor:setup")
        return render(
            request,
            self.template_name,
            {
                "has_authenticator": has_authenticator(user),
                "required": second_factor_required(user),
                "codes_left": services.recovery_codes_left(user=user),
            },
        )


class SetupView(LoginRequiredMixin, View):
    """Scan the QR code with an authenticator app, type the code it shows: done, and the
    recovery codes are shown once."""

    template_name = "twofactor/setup.html"

    def _render(self, request, device, form):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "qr": qr_data_uri(device.config_url),
                "secret": services.readable_secret(device),
                "next": _next_url(request),
                "required": second_factor_required(request.user),
            },
        )

    def get(self, request):
        if has_authenticator(request.user):
            return redirect("twofactor:overview")
        device = services.pending_authenticator(user=request.user)
        return self._render(request, device, CodeForm())

    def post(self, request):
        if has_authenticator(request.user):
            return redirect("twofactor:overview")
        device = services.pending_authenticator(user=request.user)
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                codes = services.confirm_authenticator(
                    user=request.user, device=device, token=form.cleaned_data["token"]
                )
            except DomainError as error:
                form.add_error(None, error)
            else:
                device.refresh_from_db()
                django_otp.login(request, device)
                return render(
                    request,
                    "twofactor/recovery_codes.html",
                    {"codes": codes, "next": _next_url(request), "first_time": True},
                )
        return self._render(request, device, form)


class VerifyView(LoginRequiredMixin, View):
    """The second step after the password: a code from the app, or a recovery code."""

    template_name = "twofactor/verify.html"

    def get(self, request):
        if not has_authenticator(request.user):
            return redirect("twofactor:setup")
        if request.user.is_verified():
            return redirect(_next_url(request))
        return render(request, self.template_name, {"form": CodeForm(), "next": _next_url(request)})

    def post(self, request):
        if not has_authenticator(request.user):
            return redirect("twofactor:setup")
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = services.verify_code(user=request.user, token=form.cleaned_data["token"])
            except DomainError as error:
                form.add_error("token", error)
            else:
                django_otp.login(request, device)
                return redirect(_next_url(request))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})


class VerifiedOnlyMixin(LoginRequiredMixin):
    """Changes to the second step need the second step done (or none set up yet: overview)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)
        if request.user.is_authenticated and not request.user.is_verified():
            return redirect("twofactor:overview")
        return super().dispatch(request, *args, **kwargs)


class RecoveryCodesView(VerifiedOnlyMixin, View):
    """POST: replace the recovery codes, and show the new ones once."""

    def post(self, request):
        codes = services.new_recovery_codes(user=request.user)
        return render(request, "twofactor/recovery_codes.html", {"codes": codes})


class DisableView(VerifiedOnlyMixin, View):
    """POST: switch two-step login off, where it is not required."""

    def post(self, request):
        try:
            services.remove_second_factor(user=request.user)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Two-step login is switched off."))
        return redirect("twofactor:overview")
