"""What the API sends and accepts. Output only: the rules for input live in the forms and
services that the pages use too; these serializers check types and document the fields."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.models import Enrolment, Module, Participant, Session, Theme
from modules.queries import REPORT_COLUMNS
from partnerships.models import (
    ContactPerson,
    Office,
    PartnerOrganisation,
    Partnership,
    PlanTarget,
)

# --- small references -------------------------------------------------------------------------


class OfficeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = ["id", "name"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerOrganisation
        fields = ["id", "name"]


class AgreementRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partnership
        fields = ["id", "title"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "code", "name"]


# --- modules and sessions -------------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    location = serializers.CharField(
        source="effective_location", read_only=True, help_text=_("Empty: the module's location.")
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "module",
            "date",
            "start_time",
            "end_time",
            "location",
            "topic",
            "status",
            "cancel_reason",
        ]


class ModuleSerializer(serializers.ModelSerializer):
    """A module with its places: `taken` counts enrolled and completed clients."""

    themes = ThemeSerializer(many=True, read_only=True)
    agreement = AgreementRefSerializer(source="partnership", read_only=True)
    office = OfficeRefSerializer(source="partnership.office", read_only=True)
    taken = serializers.IntegerField(read_only=True)
    free_places = serializers.IntegerField(read_only=True)
    waitlist_length = serializers.IntegerField(read_only=True)
    first_session_date = serializers.DateField(source="first_date", read_only=True, allow_null=True)
    last_session_date = serializers.DateField(source="last_date", read_only=True, allow_null=True)

    class Meta:
        model = Module
        fields = [
            "id",
            "title",
            "offer_type",
            "status",
            "language",
            "themes",
            "agreement",
            "office",
            "teacher",
            "location",
            "capacity",
            "enrolment_open",
            "completion_threshold",
            "taken",
            "free_places",
            "waitlist_length",
            "first_session_date",
            "last_session_date",
            "description",
        ]


class ModuleDetailSerializer(ModuleSerializer):
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta(ModuleSerializer.Meta):
        fields = [*ModuleSerializer.Meta.fields, "sessions"]


class OpenModuleSerializer(serializers.ModelSerializer):
    """A module open to the caseworker's organisation, with free places and waiting list."""

    themes = ThemeSerializer(many=True, read_only=True)
    office = OfficeRefSerializer(source="partnership.office", read_only=True)
    free_places = serializers.IntegerField(read_only=True)
    waitlist_length = serializers.IntegerField(read_only=True)
    next_session_date = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Module
        fields = [
            "id",
            "title",
            "offer_type",
            "status",
            "language",
            "themes",
            "office",
            "location",
            "capacity",
            "free_places",
            "waitlist_length",
            "next_session_date",
            "description",
        ]


class OpenModuleDetailSerializer(OpenModuleSerializer):
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta(OpenModuleSerializer.Meta):
        fields = [*OpenModuleSerializer.Meta.fields, "sessions"]


# --- clients -----------------------------------------------------------------------------------


class ClientSerializer(serializers.ModelSerializer):
    """A client. The national register number is never sent: only whether one is stored and
    its masked form, as on the client page; the full number through the logged reveal."""

    has_national_register_number = serializers.SerializerMethodField()
    national_register_number_masked = serializers.CharField(
        source="masked_national_register_number",
        read_only=True,
        help_text=_("The masked number, as the client page shows it (no digits)."),
    )
    organisation = OrganisationRefSerializer(read_only=True)
    caseworker = serializers.SerializerMethodField()
    current_enrolments = serializers.IntegerField(read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "nationality",
            "languages",
            "phone",
            "email",
            "has_national_register_number",
            "national_register_number_masked",
            "organisation",
            "caseworker",
            "consent_date",
            "consent_withdrawn_on",
            "anonymised_at",
            "current_enrolments",
            "created_at",
            "updated_at",
        ]

    def get_has_national_register_number(self, participant: Participant) -> bool:
        return bool(participant.national_register_number)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_caseworker(self, participant: Participant) -> str | None:
        user = participant.caseworker
        return (user.get_full_name() or user.get_username()) if user else None


class ClientWriteSerializer(serializers.Serializer):
    """A client to register or change. The registration page's form checks the values (the
    same rules and messages); the national register number is write-only."""

    # Blank values pass here on purpose: the form says what is required, with its messages.
    first_name = serializers.CharField(max_length=100, allow_blank=True)
    last_name = serializers.CharField(max_length=100, allow_blank=True)
    date_of_birth = serializers.DateField()
    gender = serializers.ChoiceField(
        choices=Participant.Gender.choices, allow_blank=True, required=False
    )
    nationality = serializers.CharField(max_length=100, allow_blank=True, required=False)
    languages = serializers.CharField(max_length=200, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False)
    email = serializers.CharField(max_length=254, allow_blank=True, required=False)
    national_register_number = serializers.CharField(
        max_length=20,
        allow_blank=True,
        required=False,
        write_only=True,
        help_text=_(
            "Optional, 11 digits (separators allowed). Never returned. On a change: leave it "
            "out to keep the stored number."
        ),
    )
    consent_given = serializers.BooleanField(
        required=False,
        help_text=_("Registering: must be true (the client gave consent)."),
    )
    consent_date = serializers.DateField()
    confirm_different_person = serializers.BooleanField(
        required=False,
        help_text=_(
            "True when a client with the same name and date of birth exists and this is "
            "another person."
        ),
    )


class NationalNumberSerializer(serializers.Serializer):
    national_register_number = serializers.CharField(allow_null=True)


# --- enrolments -------------------------------------------------------------------------------


class EnrolmentSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(source="participant", read_only=True)
    client_name = serializers.SerializerMethodField()
    module_title = serializers.CharField(source="module.title", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "client",
            "client_name",
            "module",
            "module_title",
            "status",
            "waitlist_position",
            "enrolled_at",
            "status_changed_at",
            "withdrawn_at",
            "withdrawal_reason",
            "completed_at",
        ]

    def get_client_name(self, enrolment: Enrolment) -> str:
        return str(enrolment.participant)


class EnrolmentResultSerializer(EnrolmentSerializer):
    """The answer to an enrolment or withdrawal: the enrolment and what happened, in words."""

    message = serializers.SerializerMethodField()

    class Meta(EnrolmentSerializer.Meta):
        fields = [*EnrolmentSerializer.Meta.fields, "message"]

    def get_message(self, enrolment: Enrolment) -> str:
        if enrolment.status == Enrolment.Status.WAITLISTED:
            return str(
                _("On the waiting list, position %(n)d.") % {"n": enrolment.waitlist_position}
            )
        return str(enrolment.get_status_display())


class EnrolRequestSerializer(serializers.Serializer):
    """Enrol one of your organisation's clients into a module open to your organisation."""

    client = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.none(),
        error_messages={
            "does_not_exist": _("There is no client with id {pk_value} among your clients."),
            "incorrect_type": _("Give the client's id (a number)."),
        },
    )
    module = serializers.PrimaryKeyRelatedField(
        queryset=Module.objects.none(),
        error_messages={
            "does_not_exist": _("There is no module with id {pk_value} open to your organisation."),
            "incorrect_type": _("Give the module's id (a number)."),
        },
    )

    def __init__(self, *args, clients=None, modules=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clients is not None:
            self.fields["client"].queryset = clients
        if modules is not None:
            self.fields["module"].queryset = modules


class WithdrawRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True,
        required=False,
        help_text=_("Optional. Do not write medical or other sensitive details here."),
    )


# --- partners, agreements, plans ---------------------------------------------------------------


class ContactPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPerson
        fields = ["id", "name", "function", "email", "phone", "is_active"]


class PartnerSerializer(serializers.ModelSerializer):
    contacts = ContactPersonSerializer(many=True, read_only=True)

    class Meta:
        model = PartnerOrganisation
        fields = [
            "id",
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
            "contacts",
        ]


class AgreementSerializer(serializers.ModelSerializer):
    office = OfficeRefSerializer(read_only=True)
    lead_partner = OrganisationRefSerializer(read_only=True)
    partners = OrganisationRefSerializer(many=True, read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "title",
            "office",
            "lead_partner",
            "partners",
            "status",
            "target_group",
            "description",
            "start_date",
            "end_date",
            "signed_date",
            "agreement_reference",
            "has_document",
        ]

    def get_has_document(self, partnership: Partnership) -> bool:
        return bool(partnership.document)


class PlanTargetSerializer(serializers.ModelSerializer):
    agreement = serializers.PrimaryKeyRelatedField(source="partnership", read_only=True)

    class Meta:
        model = PlanTarget
        fields = [
            "id",
            "agreement",
            "year",
            "planned_modules",
            "planned_sessions",
            "planned_participants",
        ]


# --- yearly counts ---------------------------------------------------------------------------


class ReportRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    key = serializers.CharField(
        allow_null=True, help_text=_("The breakdown value (an id or code).")
    )
    label = serializers.CharField()
    is_total = serializers.BooleanField()
    sessions = serializers.IntegerField()
    modules = serializers.IntegerField()
    participants = serializers.IntegerField()
    enrolments = serializers.IntegerField()
    completions = serializers.IntegerField()
    participant_hours = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False
    )
    planned_sessions = serializers.IntegerField(allow_null=True)
    planned_modules = serializers.IntegerField(allow_null=True)
    planned_participants = serializers.IntegerField(allow_null=True)
    realised_pct = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, coerce_to_string=False
    )

    def to_representation(self, row):
        data = {"year": row.year, "key": None if row.key is None else str(row.key)}
        data |= {"label": row.label, "is_total": row.is_total}
        values = row.values()
        for column in REPORT_COLUMNS:
            value = values[column]
            data[column] = None if value is None else self.fields[column].to_representation(value)
        return data


class ReportFilterSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.CharField()


class YearlyReportSerializer(serializers.Serializer):
    """The yearly report: the same rows as the page's table and its CSV/XLSX exports."""

    breakdown = serializers.CharField()
    year_from = serializers.IntegerField()
    year_to = serializers.IntegerField()
    filters = ReportFilterSerializer(many=True, help_text=_("The filters applied, in words."))
    notices = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())
    rows = ReportRowSerializer(many=True)
