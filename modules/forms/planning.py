"""Forms for agency staff: modules, sessions (one, a series, move, cancel), attendance."""

import re

from django import forms
from django.utils.dates import WEEKDAYS as WEEKDAYS_NAMES
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partnerships.forms import ChooseMixin, DateInput, PkMultipleChoiceField, chosen_in
from partnerships.widgets import DependentChoiceSelect, SearchChoiceSelect

from ..models import (
    END_BEFORE_START,
    Attendance,
    Module,
    Objective,
    Session,
    Theme,
    ends_after_start,
)
from ..queries import facilitator_contacts, module_partnerships
from ..services import (
    MAX_SERIES_SESSIONS,
    SessionRule,
    capacity_error,
    closed_day_warning,
    series_errors,
)

DATE_WIDGET = DateInput()
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ModuleForm(ChooseMixin, forms.ModelForm):
    """Create or edit a module under one of the user's office's agreements."""

    class Meta:
        model = Module
        fields = [
            "partnership",
            "title",
            "offer_type",
            "themes",
            "objectives",
            "language",
            "teacher",
            "partner_facilitator",
            "location",
            "capacity",
            "completion_threshold",
            "description",
        ]
        field_classes = {"themes": PkMultipleChoiceField, "objectives": PkMultipleChoiceField}
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "objectives": forms.SelectMultiple(attrs={"size": 8}),
            # The contacts of the chosen agreement's partners (thousands in all).
            "partner_facilitator": DependentChoiceSelect(
                "modules:facilitator_choices", parent="partnership"
            ),
            # 3,000 agreements for an administrator at Flanders scale: search-as-you-type.
            "partnership": SearchChoiceSelect("modules:module_partnership_choices"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partnerships = module_partnerships(user)
        self.fields["partnership"].queryset = partnerships.select_related("office")
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)
        self.fields["objectives"].queryset = Objective.objects.filter(is_active=True)
        facilitator = self.fields["partner_facilitator"]
        facilitator.queryset = facilitator_contacts(user)
        partnership_id = chosen_in(self, "partnership")
        if partnership_id is not None:
            facilitator.widget.shown = facilitator_contacts(user, partnership_id)
        # Status and enrolment are not fields: they change by the lifecycle's own actions.
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["completion_threshold"].widget.attrs.update({"min": 0, "max": 100})

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if error := capacity_error(self.instance.pk, capacity):
            raise forms.ValidationError(error)
        return capacity


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class WaitlistActionForm(forms.Form):
    """Staff act on one enrolment: the pressed button (`action`) says what, with a reason."""

    ACTIONS = ("up", "down", "enrol", "withdraw")

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history and sent to the caseworker. No medical details."),
        error_messages={"required": _("Give a reason.")},
    )
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class SessionForm(forms.ModelForm):
    """Add one session."""

    class Meta:
        model = Session
        fields = ["date", "start_time", "end_time", "location", "topic"]
        widgets = {"date": DATE_WIDGET, "start_time": TIME_WIDGET, "end_time": TIME_WIDGET}


class SessionEditForm(forms.ModelForm):
    """What a session is about and where; the date and time change by moving it."""

    class Meta:
        model = Session
        fields = ["location", "topic"]


class SessionMoveForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_WIDGET)
    confirm_closed_day = forms.BooleanField(
        label=_("Yes, plan the session on this day anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    def clean(self):
        cleaned = super().clean()
        if not ends_after_start(cleaned.get("start_time"), cleaned.get("end_time")):
            self.add_error("end_time", END_BEFORE_START)
        warning = closed_day_warning(cleaned.get("date"))
        if warning:
            # Show the confirmation only once it is needed (a checkbox the user must tick).
            self.fields["confirm_closed_day"].widget = forms.CheckboxInput()
            if not cleaned.get("confirm_closed_day"):
                self.add_error("date", warning)
        return cleaned


# Django's own day names: lower case in Dutch, as dates write them ("maandag 22 maart");
# as a choice in a list they start with a capital.
WEEKDAYS = [(number, capfirst(name)) for number, name in WEEKDAYS_NAMES.items()]
INTERVALS = [(1, _("Every week")), (2, _("Every two weeks"))]


class SessionSeriesForm(forms.Form):
    """A recurring series: the preview and the save post the same fields."""

    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_WIDGET)
    start_date = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    count = forms.IntegerField(
        label=_("Number of sessions"),
        required=False,
        min_value=1,
        max_value=MAX_SERIES_SESSIONS,
        help_text=_("Either a number of sessions or an end date."),
    )
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE_WIDGET)
    interval_weeks = forms.TypedChoiceField(
        label=_("Repeat"), choices=INTERVALS, coerce=int, initial=1, widget=forms.RadioSelect
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if "count" in cleaned and "end_date" in cleaned:
            errors = series_errors(
                start_date=cleaned.get("start_date"),
                count=cleaned.get("count"),
                end_date=cleaned.get("end_date"),
                interval_weeks=cleaned.get("interval_weeks"),
                start_time=cleaned.get("start_time"),
                end_time=cleaned.get("end_time"),
            )
            for name, message in errors.items():
                if name is None or name in self.fields:
                    self.add_error(name, message)
        return cleaned

    def rule(self) -> SessionRule:
        data = self.cleaned_data
        return SessionRule(
            weekday=data["weekday"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            start_date=data["start_date"],
            count=data.get("count"),
            end_date=data.get("end_date"),
            interval_weeks=data["interval_weeks"],
            location=data.get("location", ""),
            topic=data.get("topic", ""),
        )


MARK_FIELD = re.compile(r"^mark_(\d{1,18})$")


class AttendanceForm(forms.Form):
    """One present/absent/excused choice per row (`mark_<enrolment id>`), all required.

    Posted `mark_` fields for enrolments that are not on the page are kept in
    `extra_marks`, so that the service refuses them rather than silently dropping them.
    """

    def __init__(self, *args, enrolments, all_present: bool = False, **kwargs):
        """`all_present`: every row starts as present (the common case), to change the few
        absent ones before saving."""
        super().__init__(*args, **kwargs)
        self.rows = []
        for enrolment in enrolments:
            name = f"mark_{enrolment.pk}"
            self.fields[name] = forms.ChoiceField(
                label=enrolment.participant.distinguishing_label,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=Attendance.Status.PRESENT if all_present else enrolment.recorded_status,
                error_messages={"required": _("Choose present, absent or excused.")},
            )
            self.rows.append((enrolment, name))
        self.extra_marks: dict[int, str] = {}
        if self.is_bound:
            for key in self.data:
                match = MARK_FIELD.match(key)
                if match and key not in self.fields:
                    self.extra_marks[int(match.group(1))] = str(self.data.get(key))

    def row_fields(self):
        for enrolment, name in self.rows:
            yield enrolment, self[name]

    def marks(self) -> dict[int, str]:
        marks = {
            int(name.removeprefix("mark_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("mark_")
        }
        return {**self.extra_marks, **marks}
