"""Forms for offer requests and evaluations (agency staff)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.forms import CHOOSE, ChooseMixin, DateInput, PkMultipleChoiceField, chosen_in
from partnerships.models import Office
from partnerships.queries import choosable_partners, requestable_contacts
from partnerships.widgets import DependentChoiceSelect, SearchChoiceSelect

from ..models import Evaluation, OfferRequest, Theme
from ..queries import plan_module_label


class OfferRequestForm(ChooseMixin, forms.ModelForm):
    """Staff record a partner's request on the partner's behalf."""

    class Meta:
        model = OfferRequest
        fields = [
            "office",
            "partner",
            "contact",
            "title",
            "themes",
            "target_group",
            "expected_participants",
            "language",
            "description",
            "received_on",
        ]
        field_classes = {"themes": PkMultipleChoiceField}
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            # The chosen partner's contacts (thousands in all).
            "contact": DependentChoiceSelect("modules:request_contact_choices", parent="partner"),
            # 1,500 partners at Flanders scale: search-as-you-type.
            "partner": SearchChoiceSelect("partnerships:partner_choices", query="active=1"),
            "received_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, office: Office | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = choosable_partners()
        contact = self.fields["contact"]
        contact.queryset = requestable_contacts()
        partner_id = chosen_in(self, "partner")
        if partner_id is not None:
            contact.widget.shown = requestable_contacts(partner_id)
        self.fields["contact"].help_text = _(
            "A contact person at the requesting partner (the list follows the chosen partner)."
        )
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)
        if office is not None:
            del self.fields["office"]
        else:
            self.fields["office"].queryset = Office.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        partner, contact = cleaned.get("partner"), cleaned.get("contact")
        if partner and contact and contact.organisation_id != partner.pk:
            self.add_error("contact", _("The contact person must work at the requesting partner."))
        return cleaned


class PlanRequestForm(ChooseMixin, forms.Form):
    # Search-as-you-type: an administrator may choose among 3,000 agreements and 15,000
    # modules at Flanders scale (1.2 MB of options on the request's page before).
    planned_partnership = forms.ModelChoiceField(
        label=_("Cooperation agreement"),
        queryset=None,
        required=False,
        widget=SearchChoiceSelect("modules:plan_partnership_choices"),
    )
    planned_module = forms.ModelChoiceField(
        label=_("Module"),
        queryset=None,
        required=False,
        widget=SearchChoiceSelect("modules:plan_module_choices"),
    )

    def __init__(self, *args, partnerships, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_partnership"].queryset = partnerships
        self.fields["planned_module"].queryset = modules
        self.fields["planned_module"].label_from_instance = plan_module_label

    def clean(self):
        cleaned = super().clean()
        partnership = cleaned.get("planned_partnership")
        module = cleaned.get("planned_module")
        if not self.errors and partnership is None and module is None:
            raise forms.ValidationError(
                _("Choose the agreement or the module that answers this request.")
            )
        if partnership and module and module.partnership_id != partnership.pk:
            self.add_error(
                "planned_module", _("This module does not belong to the chosen agreement.")
            )
        return cleaned


class DeclineRequestForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=OfferRequest._meta.get_field("decline_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("A declined request needs a reason.")},
    )

    def clean_decline_reason(self):
        reason = self.cleaned_data["decline_reason"].strip()
        if not reason:
            raise forms.ValidationError(_("A declined request needs a reason."))
        return reason


# Which end of the scale is good, in the list itself (the field's help text says it too).
RATING_CHOICES = [
    ("", CHOOSE),
    (1, _("1 – very weak")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very good")),
]


class EvaluationForm(ChooseMixin, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["source", "date", "rating", "findings", "recommendations"]
        widgets = {
            "date": DateInput(),
            "rating": forms.Select(choices=RATING_CHOICES),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
        }
