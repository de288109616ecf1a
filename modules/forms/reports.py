"""The yearly report's filter form (a GET form: the URL is the bookmark)."""

import datetime

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partnerships.access import office_id_of, sees_all_offices
from partnerships.models import Office, PartnerOrganisation
from partnerships.queries import offices_visible_to
from partnerships.widgets import SearchChoiceSelect

from ..models import Language, Module, Theme
from ..queries import (
    BREAKDOWNS,
    DEFAULT_BREAKDOWN,
    REPORT_MAX_YEAR,
    REPORT_MAX_YEARS,
    REPORT_MIN_YEAR,
    ReportFilters,
    default_report_years,
    report_partners_for,
)


def _all(label):
    return [("", label)]


class YearlyReportForm(forms.Form):
    """Filters and breakdown of the yearly report. Invalid fields fall back to their default."""

    year_from = forms.IntegerField(
        label=_("From year"), min_value=REPORT_MIN_YEAR, max_value=REPORT_MAX_YEAR, required=False
    )
    year_to = forms.IntegerField(
        label=_("To year"), min_value=REPORT_MIN_YEAR, max_value=REPORT_MAX_YEAR, required=False
    )
    breakdown = forms.ChoiceField(label=_("Breakdown by"), required=False)
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False, empty_label=_("All")
    )
    partner_kind = forms.ChoiceField(
        label=_("Partner kind (lead partner)"),
        choices=_all(_("All")) + list(PartnerOrganisation.Kind.choices),
        required=False,
    )
    partner = forms.ModelChoiceField(
        label=_("Lead partner"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("All"),
        # Search-as-you-type: 1,300 lead partners at Flanders scale (issue 10).
        widget=SearchChoiceSelect("modules:report_partner_choices"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=_("All")
    )
    offer_type = forms.ChoiceField(
        label=_("Offer type"),
        choices=_all(_("All")) + list(Module.OfferType.choices),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=_all(_("All")) + list(Language.choices), required=False
    )

    def __init__(self, data, *, user, today: datetime.date | None = None):
        self.default_years = default_report_years(today)
        data = data.copy()
        # Unset or empty fields take their default, so that the form shows what is counted.
        for name, default in (
            ("year_from", self.default_years[0]),
            ("year_to", self.default_years[1]),
            ("breakdown", DEFAULT_BREAKDOWN),
        ):
            if not data.get(name):
                data[name] = str(default)
        super().__init__(data)
        self.notices: list[str] = []
        self.fields["breakdown"].choices = [
            (b.name, capfirst(b.verbose_name)) for b in BREAKDOWNS.values()
        ]
        self.fields["partner"].queryset = report_partners_for(user)
        self.fixed_office: Office | None = None
        if sees_all_offices(user):
            self.fields["office"].queryset = offices_visible_to(user)
        else:
            # Staff and office managers count their own office only; any other id is ignored.
            self.fixed_office = offices_visible_to(user).filter(pk=office_id_of(user)).first()
            del self.fields["office"]
            asked = data.get("office")
            if asked and asked != str(getattr(self.fixed_office, "pk", "")):
                self.notices.append(_("You see the counts of your own office only."))

    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from and year_to:
            if year_from > year_to:
                self.add_error("year_to", _("The last year cannot be before the first year."))
            elif year_to - year_from + 1 > REPORT_MAX_YEARS:
                self.add_error(
                    "year_to",
                    _("Choose at most %(n)d years.") % {"n": REPORT_MAX_YEARS},
                )
        return cleaned

    def report_filters(self) -> tuple[ReportFilters, str]:
        """The filters to count with: valid fields as given, invalid ones at their default."""
        self.is_valid()
        data = self.cleaned_data
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if not (year_from and year_to) or "year_from" in self.errors or "year_to" in self.errors:
            year_from, year_to = self.default_years
        office = data.get("office")
        if self.fixed_office is not None:
            office = self.fixed_office
        filters = ReportFilters(
            year_from=year_from,
            year_to=year_to,
            office_id=office.pk if office else None,
            partner_kind=data.get("partner_kind") or "",
            partner_id=data["partner"].pk if data.get("partner") else None,
            theme_id=data["theme"].pk if data.get("theme") else None,
            offer_type=data.get("offer_type") or "",
            language=data.get("language") or "",
        )
        return filters, data.get("breakdown") or DEFAULT_BREAKDOWN

    def summary(self, filters: ReportFilters, breakdown: str) -> list[tuple[str, str]]:
        """The filters in words (for the export's second sheet and the page's caption)."""
        data = self.cleaned_data
        office = self.fixed_office or data.get("office")

        def choice(name: str) -> str:
            value = getattr(filters, name)
            return str(dict(self.fields[name].choices).get(value, "")) if value else str(_("All"))

        return [
            (str(_("Years")), f"{filters.year_from}–{filters.year_to}"),
            (str(_("Breakdown by")), str(BREAKDOWNS[breakdown].verbose_name)),
            (str(_("Office")), str(office) if office else str(_("All"))),
            (str(_("Partner kind (lead partner)")), choice("partner_kind")),
            (str(_("Lead partner")), str(data.get("partner") or _("All"))),
            (str(_("Theme")), str(data.get("theme") or _("All"))),
            (str(_("Offer type")), choice("offer_type")),
            (str(_("Language")), choice("language")),
        ]
