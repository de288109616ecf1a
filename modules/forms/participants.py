"""Forms for partner caseworkers: register and edit clients, enrol them, withdraw them."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from partnerships.forms import ChooseMixin, DateInput, PkMultipleChoiceField

from ..models import Module, Participant

DATE_WIDGET = DateInput()


class ParticipantForm(ChooseMixin, forms.ModelForm):
    """Only what the work needs (data minimisation); consent is required to register.

    Duplicate guard: a national register number already stored is refused (the model's unique
    check, with our message); the same name and date of birth within the organisation needs
    an explicit "different person" confirmation, and `duplicates` lists the existing clients.
    """

    consent_given = forms.BooleanField(
        label=_("The client gave consent to store and use these data for their enrolments"),
        required=True,
        error_messages={"required": _("Without the client's consent you cannot register them.")},
    )
    confirm_different_person = forms.BooleanField(
        label=_("I checked: this is a different person with the same name and date of birth"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Participant
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "nationality",
            "languages",
            "phone",
            "email",
            "national_register_number",
            "consent_given",
            "consent_date",
            "confirm_different_person",
        ]
        widgets = {"date_of_birth": DATE_WIDGET, "consent_date": DATE_WIDGET}
        help_texts = {
            "national_register_number": _("Optional. 11 digits, e.g. 85.07.30-033.28."),
            "consent_date": _("The date on which the client gave consent."),
        }

    def __init__(self, *args, organisation_id: int, registering: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        self.duplicates: list[Participant] = []
        self.fields["date_of_birth"].required = True
        self.stored_number = None if registering else self.instance.national_register_number
        if registering:
            self.fields["consent_date"].initial = timezone.localdate()
        else:
            del self.fields["consent_given"]
        if self.stored_number:
            # Never put the stored number in the page: that would be a reveal nobody records.
            number = self.fields["national_register_number"]
            self.initial["national_register_number"] = ""
            number.widget.attrs["placeholder"] = self.instance.masked_national_register_number
            number.help_text = _(
                "Leave empty to keep the stored number; type a new number to replace it."
            )

    def validate_unique(self) -> None:
        """No lookup of the number here: whether it is taken is the registration service's
        rule, which also records and limits hits at other organisations (issue 8). The
        number is the model's only unique field."""

    def clean_national_register_number(self) -> str | None:
        return self.cleaned_data.get("national_register_number") or self.stored_number

    def clean_date_of_birth(self) -> datetime.date:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born.year < 1900:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean_consent_date(self) -> datetime.date:
        given = self.cleaned_data["consent_date"]
        if given and given > timezone.localdate():
            raise forms.ValidationError(_("The consent date cannot be in the future."))
        return given

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_name", ""), cleaned.get("last_name", "")
        born = cleaned.get("date_of_birth")
        if first and last and born:
            same = Participant.objects.filter(
                organisation_id=self.organisation_id,
                first_name__iexact=first.strip(),
                last_name__iexact=last.strip(),
                date_of_birth=born,
                anonymised_at__isnull=True,
            ).exclude(pk=self.instance.pk)
            self.duplicates = list(same.order_by("pk")[:5])
        if self.duplicates:
            self.fields["confirm_different_person"].widget = forms.CheckboxInput()
            if not cleaned.get("confirm_different_person"):
                self.add_error(
                    "confirm_different_person",
                    _(
                        "A client with the same name and date of birth is already registered. "
                        "Open the existing client, or confirm that this is a different person."
                    ),
                )
        return cleaned

    def participant_fields(self) -> dict:
        """The model fields to hand to the service (not the confirmation checkboxes)."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.cleaned_data
            and name not in ("consent_given", "confirm_different_person")
        }


class ModuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, module: Module) -> str:
        date = module.next_session_date
        when = date_format(date, "SHORT_DATE_FORMAT") if date else _("no sessions planned")
        return _("%(title)s – next session %(when)s – %(free)s free, %(waiting)s waiting") % {
            "title": module.title,
            "when": when,
            "free": module.free_places,
            "waiting": module.waitlist_length,
        }


class EnrolClientForm(forms.Form):
    """From a client's page: choose one of the modules open to the organisation."""

    module = ModuleChoiceField(
        label=_("Module"),
        queryset=Module.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the open modules in the list.")},
    )

    def __init__(self, *args, modules: QuerySet[Module], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules


class ClientChoiceField(PkMultipleChoiceField):
    def label_from_instance(self, participant: Participant) -> str:
        return participant.distinguishing_label


class EnrolClientsForm(forms.Form):
    """From a module's page: choose one or more of the organisation's clients."""

    participants = ClientChoiceField(
        label=_("Clients to enrol"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one client."),
            "invalid_choice": _("Choose clients from the list."),
            "invalid_pk_value": _("Choose clients from the list."),
        },
    )

    def __init__(self, *args, clients: QuerySet[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = clients


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write medical or other sensitive details here."),
    )


class EraseForm(forms.Form):
    """Erase one client's personal data on their request: a reason and an explicit yes."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. “Request of the person on 28-11-2026”. No personal details."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the personal data are erased now and cannot be restored"),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class ConsentWithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The client withdrew their consent today"),
        error_messages={"required": _("Tick the box to confirm.")},
    )
