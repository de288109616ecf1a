"""The account page (/account/): the user's own settings, one section per concern.

Each section is a template with, optionally, a function that gives its data; apps add their
section to SECTIONS (e.g. two-factor authentication, mail preferences). The page writes each
section's heading (h2) and includes its template, which sees its own data as `section.data`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from api.views.account import calendar_section, tokens_section
from modules.views.account import mail_section
from partnerships.access import membership_of, role_of
from twofactor.policy import has_authenticator


@dataclass(frozen=True)
class AccountSection:
    anchor: str  # the section's id on the page (the table of contents links to it)
    title: str  # the section's heading, translated
    template: str  # the section's body (the page writes the heading)
    data: Callable | None = None  # request -> dict


def profile_section(request) -> dict:
    return {"role": role_of(request.user), "membership": membership_of(request.user)}


def two_factor_section(request) -> dict:
    """The state of the two-step login; its pages are twofactor's (/account/two-factor/)."""
    return {"on": has_authenticator(request.user)}


SECTIONS: list[AccountSection] = [
    AccountSection("profile", _("Account"), "account/section_profile.html", profile_section),
    AccountSection(
        "two-factor", _("Two-step login"), "account/section_two_factor.html", two_factor_section
    ),
    AccountSection("api-tokens", _("API tokens"), "api/account/api_tokens.html", tokens_section),
    AccountSection("calendar", _("Calendar"), "api/account/calendar_feed.html", calendar_section),
    AccountSection("mail", _("Mail about clients"), "modules/account/mail.html", mail_section),
]


@login_required
def account(request):
    sections = [
        {
            "anchor": section.anchor,
            "title": section.title,
            "template": section.template,
            "data": section.data(request) if section.data else {},
        }
        for section in SECTIONS
    ]
    response = render(request, "account/account.html", {"sections": sections})
    # A new token or calendar address may be on this page: never keep it in a cache.
    response["Cache-Control"] = "no-store"
    return response
