"""The account page's mail settings: one checkbox per kind of mail about clients."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import MailKind


class MailPreferencesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label=_("Send me a mail when"),
        choices=MailKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
