"""Forms of the api app's pages: a new API token, and the spreadsheet to import."""

from django import forms
from django.utils.translation import gettext_lazy as _

VALIDITY_CHOICES = (
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("1 year")),
)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses the token, e.g. “OCMW client file”."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"), choices=VALIDITY_CHOICES, coerce=int, initial=90
    )


class ClientImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_(
            "At most 2,000 rows and 5 MB; the first row holds the template's column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
