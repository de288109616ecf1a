"""Forms for the staff screens of the partnerships app."""

import datetime

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from .models import (
    PLAN_YEAR_TAKEN,
    ContactPerson,
    Office,
    PartnerOrganisation,
    Partnership,
    PlanTarget,
)
from .queries import choosable_partners, chosen_id
from .services import CONTACT_FIELDS, DomainError, Plan, check_agreement_document
from .widgets import SearchChoiceSelect, SearchChoiceSelectMultiple


class PkMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by pk that refuses out-of-range numbers with a message.

    Django looks the chosen pks up with `pk__in`; on SQLite a number beyond 64 bits raises
    OverflowError there (a 500) instead of "not one of the choices".
    """

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django's own check reports it
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class DateInput(forms.DateInput):
    """The browser's date field. Its value is ISO (2027-03-22) whatever the language: the
    browser shows it in the user's own format; typed dates follow DATE_INPUT_FORMATS."""

    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


# The empty choice of a select in a form; filters say "All" (FILTERS_EMPTY_CHOICE_LABEL).
CHOOSE = _("Choose …")
DJANGO_EMPTY_LABEL = "---------"


def name_empty_choices(fields, label=CHOOSE) -> None:
    """Give the empty choice of every select in `fields` a word instead of Django's
    "---------" (ModelChoiceField's empty_label, a model field's blank choice)."""
    for field in fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_EMPTY_LABEL:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", DJANGO_EMPTY_LABEL):
                field.choices = [("", label), *choices[1:]]


def chosen_in(form: forms.BaseForm, name: str) -> int | None:
    """The id chosen in the form's field `name`: the submitted one, else the initial one (a
    dependent choice, such as a partner's contacts, follows it)."""
    if form.is_bound:
        return chosen_id(form.data.get(form.add_prefix(name)))
    return chosen_id(form.get_initial_for_field(form.fields[name], name))


class ChooseMixin:
    """For forms: every select's empty choice says "Choose …"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self.fields)


class PartnerOrganisationForm(ChooseMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = PartnerOrganisation
        fields = [
            "name",
            "kind",
            "enterprise_number",
            "street",
            "postal_code",
            "municipality",
            "email",
            "phone",
            "website",
            "is_active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Show the stored 10 digits the way people write them.
            self.initial["enterprise_number"] = self.instance.enterprise_number_display


ContactFormSet = inlineformset_factory(
    PartnerOrganisation,
    ContactPerson,
    fields=["name", "function", "email", "phone", "is_active"],
    extra=2,
    can_delete=False,  # contacts with history are deactivated, not deleted
    # Bounded: a forged TOTAL_FORMS would otherwise build and render 2000 forms (16 s).
    max_num=100,
    absolute_max=100,
    validate_max=True,
)


def contact_values(formset) -> list[dict]:
    """The validated contact rows as plain values for `save_partner_organisation`: changed
    and new rows only (an untouched empty extra row is no contact)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() or not form.cleaned_data:
            continue
        values = {name: form.cleaned_data.get(name) for name in CONTACT_FIELDS}
        if form.instance.pk:
            values["pk"] = form.instance.pk
        rows.append(values)
    return rows


def plan_values(formset) -> list[Plan]:
    """The validated plan rows as plain values for `save_partnership`: every year kept
    (rows ticked *delete* and empty extra rows left out)."""
    plans = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or data.get("year") is None:
            continue
        plans.append(
            Plan(
                year=data["year"],
                modules=data.get("planned_modules") or 0,
                sessions=data.get("planned_sessions") or 0,
                participants=data.get("planned_participants") or 0,
            )
        )
    return plans


class PartnershipForm(ChooseMixin, forms.ModelForm):
    """An agreement; partners and lead partner are saved by `services.save_partnership`."""

    partners = PkMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=PartnerOrganisation.objects.all(),
        required=False,
        help_text=_(
            "Type to search and choose as many as needed. The lead partner is added to them."
        ),
        # Search-as-you-type (static/js/choice-search.js): 1,500 partners at Flanders scale;
        # the page holds only the chosen ones.
        widget=SearchChoiceSelectMultiple("partnerships:partner_choices", query="active=1"),
    )

    class Meta:
        model = Partnership
        fields = [
            "office",
            "title",
            "partners",
            "lead_partner",
            "target_group",
            "description",
            "status",
            "start_date",
            "end_date",
            "signed_date",
            "agreement_reference",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "signed_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "lead_partner": SearchChoiceSelect("partnerships:partner_choices", query="active=1"),
        }

    def __init__(self, *args, office: Office | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        active = choosable_partners()
        if self.instance.pk:
            # Keep partners that were deactivated since, so that editing does not drop them.
            current = self.instance.partners.values("pk")
            choices = PartnerOrganisation.objects.filter(pk__in=active.values("pk")) | (
                PartnerOrganisation.objects.filter(pk__in=current)
            )
            self.initial.setdefault("partners", list(current.values_list("pk", flat=True)))
        else:
            choices = active
        choices = choices.order_by("name")
        self.fields["partners"].queryset = choices
        self.fields["lead_partner"].queryset = choices
        if office is not None:
            # Staff work for one office: the agreement is theirs, not a choice.
            del self.fields["office"]
            self.instance.office = office
        else:
            self.fields["office"].queryset = Office.objects.filter(is_active=True)


class BasePlanTargetFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        # Django's own names the field in English: "… duplicate data for year".
        return PLAN_YEAR_TAKEN


PlanTargetFormSet = inlineformset_factory(
    Partnership,
    PlanTarget,
    formset=BasePlanTargetFormSet,
    fields=["year", "planned_modules", "planned_sessions", "planned_participants"],
    extra=1,
    can_delete=True,
    max_num=30,  # years; bounded like the contacts above
    absolute_max=30,
    validate_max=True,
)


# Rows offered at once for a new agreement (this year and the next ones), or at most this many
# missing years of an existing agreement's period.
NEW_AGREEMENT_PLAN_YEARS = 4
MAX_OFFERED_PLAN_YEARS = 10


def plan_years_to_offer(partnership: Partnership, today: datetime.date) -> list[int]:
    """The years an agreement's form offers a prefilled plan row for, all at once: each year
    of its period not planned yet (a new agreement: this year and the next three). Rows left
    at zero are not saved; the years saved are checked by `Partnership.plan_years_error`."""
    if partnership.pk and partnership.start_date:
        last = (
            partnership.end_date.year
            if partnership.end_date
            else max(partnership.start_date.year, today.year) + NEW_AGREEMENT_PLAN_YEARS - 1
        )
        planned = set(partnership.plan_targets.values_list("year", flat=True))
        years = range(partnership.start_date.year, last + 1)
        return [year for year in years if year not in planned][:MAX_OFFERED_PLAN_YEARS]
    if partnership.pk:
        return []
    return list(range(today.year, today.year + NEW_AGREEMENT_PLAN_YEARS))


def plan_target_formset(data=None, *, partnership: Partnership, today: datetime.date):
    """The plan rows of an agreement's form: the years planned, then one prefilled row per
    year still to plan (the same rows when posted, so an untouched row stays unsaved)."""
    years = plan_years_to_offer(partnership, today)
    formset = PlanTargetFormSet(
        data, instance=partnership, prefix="targets", initial=[{"year": y} for y in years]
    )
    formset.extra = max(len(years), 1)
    return formset


class AgreementDocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Signed agreement (PDF)"),
        help_text=_("A PDF file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document(self):
        document = self.cleaned_data["document"]
        try:
            check_agreement_document(document)
        except DomainError as error:
            raise forms.ValidationError(error.messages) from None
        return document
