"""The REST API under /api/v1/: the pages' data and actions for other systems.

Each endpoint reads through the `queries` the pages use (so the same scoping holds), admits
the same roles as its page (`required_roles`, or `action_roles` per action) and writes
through the same services. A business rule's refusal (DomainError) is a 409 with the page's
message (api.exceptions).
"""

from django.conf import settings
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.filters import ClientFilter
from modules.forms.participants import ParticipantForm, WithdrawForm
from modules.forms.reports import YearlyReportForm
from modules.models import Enrolment, Participant
from modules.queries import (
    BREAKDOWNS,
    clients_for,
    enrolment_for_withdrawal,
    enrolments_visible_to,
    modules_visible_to,
    open_module_detail,
    open_modules_for,
    participants_visible_to,
    planning_modules_for,
    sessions_visible_to,
    yearly_counts,
)
from modules.services import (
    enrol,
    register_participant,
    reveal_national_register_number,
    update_participant,
    withdraw,
)
from modules.views.reports import notes_for
from partnerships.access import ADMIN, CASEWORKER, MANAGER, STAFF, organisation_id_of
from partnerships.filters import PartnerOrganisationFilter
from partnerships.models import PartnerOrganisation
from partnerships.queries import (
    partner_organisations_visible_to,
    partnerships_visible_to,
    plan_targets_visible_to,
)

from .. import serializers as s
from ..filters import (
    AgreementApiFilter,
    EnrolmentFilter,
    ModuleApiFilter,
    OpenModuleApiFilter,
    PlanTargetFilter,
    SessionFilter,
)
from ..services import remember_answer, request_fingerprint, stored_answer

READ_CLIENTS = (CASEWORKER, STAFF, ADMIN)  # as the client pages
CHANGE_ENROLMENTS = (CASEWORKER, ADMIN)  # as the enrol and withdraw pages
OWN_CLIENTS = (CASEWORKER,)  # registering and editing: the organisation's caseworkers only
STAFF_ONLY = (STAFF, ADMIN)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail`, `code` and `fields`."),
    401: OpenApiResponse(description="No valid token or session."),
    403: OpenApiResponse(description="Your role may not use this endpoint."),
    404: OpenApiResponse(description="Not found, or not yours to see."),
    409: OpenApiResponse(description="Refused by a rule: `detail` has the page's message."),
}


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in (401, 403, *codes)}


def api_language(request) -> str:
    """The language switcher's cookie, else the Accept-Language header, else Dutch.

    The pages ignore Accept-Language (staff browsers are often English); an API client that
    sends it asks on purpose."""
    languages = dict(settings.LANGUAGES)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in languages:
        return chosen
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in languages:
            return base
    return settings.LANGUAGE_CODE


class ApiMixin:
    """Language per request; roles from `required_roles` (api.permissions.HasApiRole)."""

    required_roles: tuple[str, ...] = ()
    action_roles: dict[str, tuple[str, ...]] = {}

    def dispatch(self, request, *args, **kwargs):
        translation.activate(api_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = request.LANGUAGE_CODE
        # Answers may hold personal data: no browser or proxy keeps them.
        response.headers.setdefault("Cache-Control", "private, no-store")
        return response


# --- modules and sessions (staff) ---------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List the modules of your office",
        description="Staff: the modules under their office's agreements, with places taken, "
        "free places and waiting-list length. Filters as on the modules page.",
        responses={200: s.ModuleSerializer(many=True), **_errors()},
    ),
    retrieve=extend_schema(
        summary="One module with its sessions",
        responses={200: s.ModuleDetailSerializer, **_errors(404)},
    ),
)
class ModuleViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    required_roles = STAFF_ONLY
    filterset_class = ModuleApiFilter

    def get_queryset(self):
        modules = planning_modules_for(self.request.user).prefetch_related("themes")
        if self.action == "retrieve":
            modules = modules.prefetch_related("sessions")
        return modules

    def get_serializer_class(self):
        return s.ModuleDetailSerializer if self.action == "retrieve" else s.ModuleSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List the sessions of your office's modules",
        description="Staff: sessions of their office's modules; filter by module, status and "
        "date range.",
        responses={200: s.SessionSerializer(many=True), **_errors()},
    ),
    retrieve=extend_schema(
        summary="One session", responses={200: s.SessionSerializer, **_errors(404)}
    ),
)
class SessionViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    required_roles = STAFF_ONLY
    serializer_class = s.SessionSerializer
    filterset_class = SessionFilter

    def get_queryset(self):
        return (
            sessions_visible_to(self.request.user)
            .select_related("module")
            .order_by("date", "start_time", "pk")
        )


# --- open modules (caseworkers) -------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List the modules open to your organisation",
        description="Caseworkers: modules under an agreement with their organisation that "
        "accept enrolments, with free places, waiting-list length and next session date.",
        responses={200: s.OpenModuleSerializer(many=True), **_errors()},
    ),
    retrieve=extend_schema(
        summary="One open module with its sessions",
        responses={200: s.OpenModuleDetailSerializer, **_errors(404)},
    ),
)
class OpenModuleViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    required_roles = CHANGE_ENROLMENTS
    filterset_class = OpenModuleApiFilter

    def get_queryset(self):
        return open_modules_for(self.request.user)

    def get_object(self):
        return open_module_detail(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.OpenModuleDetailSerializer
        return s.OpenModuleSerializer


# --- clients ------------------------------------------------------------------------------------


def _form_data(values: dict, participant: Participant | None) -> QueryDict:
    """The registration form's input from validated JSON; on a change, what is left out keeps
    its stored value (the stored national number stays unless a new one is given)."""
    data = QueryDict(mutable=True)
    names = [
        "first_name",
        "last_name",
        "date_of_birth",
        "gender",
        "nationality",
        "languages",
        "phone",
        "email",
        "consent_date",
    ]
    for name in names:
        if name in values:
            value = values[name]
        elif participant is not None:
            value = getattr(participant, name)
        else:
            continue
        data[name] = "" if value is None else str(value)
    data["national_register_number"] = values.get("national_register_number", "")
    if values.get("consent_given"):
        data["consent_given"] = "on"
    if values.get("confirm_different_person"):
        data["confirm_different_person"] = "on"
    return data


def _checked_fields(form: ParticipantForm) -> dict:
    if not form.is_valid():
        errors = {
            ("non_field_errors" if name == "__all__" else name): messages
            for name, messages in form.errors.items()
        }
        duplicates = [participant.pk for participant in form.duplicates]
        if duplicates:
            errors["existing_clients"] = [str(pk) for pk in duplicates]
        raise ValidationError(errors)
    return form.participant_fields()


@extend_schema_view(
    list=extend_schema(
        summary="List clients",
        description="Caseworkers: their organisation's clients. Staff: the clients enrolled in "
        "their office's modules. Search by name with `q`.",
        responses={200: s.ClientSerializer(many=True), **_errors()},
    ),
    retrieve=extend_schema(
        summary="One client", responses={200: s.ClientSerializer, **_errors(404)}
    ),
    create=extend_schema(
        summary="Register a client of your organisation",
        description="Caseworkers only. The same checks and messages as the registration page: "
        "consent, a valid national register number, and a client with the same name and date "
        "of birth needs `confirm_different_person`.",
        request=s.ClientWriteSerializer,
        responses={201: s.ClientSerializer, **_errors(400, 409)},
    ),
    update=extend_schema(
        summary="Change a client",
        request=s.ClientWriteSerializer,
        responses={200: s.ClientSerializer, **_errors(400, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Change some of a client's fields",
        request=s.ClientWriteSerializer(partial=True),
        responses={200: s.ClientSerializer, **_errors(400, 404, 409)},
    ),
)
class ClientViewSet(
    ApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    required_roles = READ_CLIENTS
    action_roles = {
        "create": OWN_CLIENTS,
        "update": OWN_CLIENTS,
        "partial_update": OWN_CLIENTS,
    }
    serializer_class = s.ClientSerializer
    filterset_class = ClientFilter

    def get_queryset(self):
        clients = clients_for(self.request.user)
        if self.action in ("update", "partial_update"):
            clients = clients.filter(anonymised_at__isnull=True)
        return clients

    def _client(self, pk) -> Participant:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def create(self, request, *args, **kwargs):
        incoming = s.ClientWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        form = ParticipantForm(
            _form_data(incoming.validated_data, None),
            organisation_id=organisation_id_of(request.user),
            registering=True,
        )
        participant = register_participant(by=request.user, fields=_checked_fields(form))
        answer = s.ClientSerializer(self._client(participant.pk), context={"request": request})
        return Response(answer.data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        participant = self._client(kwargs["pk"])
        incoming = s.ClientWriteSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        form = ParticipantForm(
            _form_data(incoming.validated_data, participant),
            instance=participant,
            organisation_id=participant.organisation_id,
            registering=False,
        )
        update_participant(participant=participant, by=request.user, fields=_checked_fields(form))
        answer = s.ClientSerializer(self._client(participant.pk), context={"request": request})
        return Response(answer.data)

    @extend_schema(
        summary="Reveal a client's national register number (logged)",
        description="Returns the full number and records who saw it, as the client page's "
        "reveal button does. `null` when none is stored.",
        request=None,
        responses={200: s.NationalNumberSerializer, **_errors(404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="reveal-national-register-number")
    def reveal(self, request, pk=None):
        participant = get_object_or_404(participants_visible_to(request.user), pk=pk)
        number = None
        if participant.national_register_number:
            number = reveal_national_register_number(participant=participant, by=request.user)
        response = Response({"national_register_number": number})
        response["Cache-Control"] = "no-store"
        return response


# --- enrolments -----------------------------------------------------------------------------

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional, up to 100 characters. A retry with the same key within 24 hours "
    "gets the first answer again (header `Idempotent-Replayed: true`) instead of a second try.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List enrolments",
        description="Caseworkers: their organisation's clients' enrolments. Staff: the "
        "enrolments in their office's modules.",
        responses={200: s.EnrolmentSerializer(many=True), **_errors()},
    ),
    retrieve=extend_schema(
        summary="One enrolment", responses={200: s.EnrolmentSerializer, **_errors(404)}
    ),
    destroy=extend_schema(
        summary="Withdraw a client (same as POST …/withdraw/)",
        request=None,
        responses={200: s.EnrolmentResultSerializer, **_errors(404, 409)},
    ),
)
class EnrolmentViewSet(
    ApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    required_roles = READ_CLIENTS
    action_roles = {
        "create": CHANGE_ENROLMENTS,
        "destroy": CHANGE_ENROLMENTS,
        "withdraw": CHANGE_ENROLMENTS,
    }
    serializer_class = s.EnrolmentSerializer
    filterset_class = EnrolmentFilter

    def get_queryset(self):
        return (
            enrolments_visible_to(self.request.user)
            .select_related("participant", "module")
            .order_by("-enrolled_at", "-pk")
        )

    def _result(self, enrolment: Enrolment, code: int) -> Response:
        enrolment = self.get_queryset().get(pk=enrolment.pk)
        return Response(s.EnrolmentResultSerializer(enrolment).data, status=code)

    @extend_schema(
        summary="Enrol a client",
        description="Caseworkers: enrol one of their organisation's clients into a module open "
        "to their organisation, through the same service and lock as the page. The answer "
        "says `enrolled`, or `waitlisted` with `waitlist_position`. Refusals (closed module, "
        "already enrolled, …) are 409 with the page's message; a repeated request never "
        "makes a second enrolment.",
        parameters=[IDEMPOTENCY_HEADER],
        request=s.EnrolRequestSerializer,
        responses={201: s.EnrolmentResultSerializer, **_errors(400, 409)},
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100:
            raise ValidationError({"Idempotency-Key": [gettext("At most 100 characters.")]})
        fingerprint = request_fingerprint(request.method, request.path, request.data)
        if key:
            answer = stored_answer(user=request.user, key=key)
            if answer is not None:
                if answer.fingerprint != fingerprint:
                    message = gettext("This Idempotency-Key was used for a different request.")
                    raise ValidationError({"Idempotency-Key": [message]})
                response = Response(answer.response, status=answer.status_code)
                response["Idempotent-Replayed"] = "true"
                return response
        incoming = s.EnrolRequestSerializer(
            data=request.data,
            clients=participants_visible_to(request.user).filter(anonymised_at__isnull=True),
            modules=modules_visible_to(request.user),
        )
        incoming.is_valid(raise_exception=True)
        enrolment = enrol(
            participant=incoming.validated_data["client"],
            module=incoming.validated_data["module"],
            by=request.user,
        )
        response = self._result(enrolment, status.HTTP_201_CREATED)
        if key:
            remember_answer(
                user=request.user,
                key=key,
                fingerprint=fingerprint,
                status_code=response.status_code,
                response=response.data,
            )
        return response

    def destroy(self, request, *args, **kwargs):
        enrolment = enrolment_for_withdrawal(request.user, kwargs["pk"])
        return self._result(withdraw(enrolment=enrolment, by=request.user), status.HTTP_200_OK)

    @extend_schema(
        summary="Withdraw a client from a module",
        description="Caseworkers: the same service as the withdraw page; a freed place goes to "
        "the first on the waiting list at once.",
        request=s.WithdrawRequestSerializer,
        responses={200: s.EnrolmentResultSerializer, **_errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        enrolment = enrolment_for_withdrawal(request.user, pk)
        incoming = s.WithdrawRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        form = WithdrawForm({"reason": incoming.validated_data.get("reason", "")})
        if not form.is_valid():  # the withdraw page's form: its limits and messages
            raise ValidationError(form.errors)
        reason = form.cleaned_data["reason"]
        return self._result(
            withdraw(enrolment=enrolment, by=request.user, reason=reason), status.HTTP_200_OK
        )


# --- partners, agreements, plans (staff) ----------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List partner organisations",
        responses={200: s.PartnerSerializer(many=True), **_errors()},
    ),
    retrieve=extend_schema(
        summary="One partner organisation with its contact persons",
        responses={200: s.PartnerSerializer, **_errors(404)},
    ),
)
class PartnerViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    required_roles = STAFF_ONLY
    serializer_class = s.PartnerSerializer
    filterset_class = PartnerOrganisationFilter

    def get_queryset(self):
        return partner_organisations_visible_to(self.request.user).prefetch_related("contacts")


@extend_schema_view(
    list=extend_schema(
        summary="List your office's cooperation agreements",
        responses={200: s.AgreementSerializer(many=True), **_errors()},
    ),
    retrieve=extend_schema(
        summary="One cooperation agreement", responses={200: s.AgreementSerializer, **_errors(404)}
    ),
)
class AgreementViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    required_roles = STAFF_ONLY
    serializer_class = s.AgreementSerializer
    filterset_class = AgreementApiFilter

    def get_queryset(self):
        partners = PartnerOrganisation.objects.order_by("name")
        return (
            partnerships_visible_to(self.request.user)
            .select_related("office", "lead_partner")
            .prefetch_related(Prefetch("partners", queryset=partners))
            .order_by("-start_date", "title", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="List the plan targets of your office's agreements",
        responses={200: s.PlanTargetSerializer(many=True), **_errors()},
    ),
    retrieve=extend_schema(
        summary="One plan target", responses={200: s.PlanTargetSerializer, **_errors(404)}
    ),
)
class PlanTargetViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    required_roles = STAFF_ONLY
    serializer_class = s.PlanTargetSerializer
    filterset_class = PlanTargetFilter

    def get_queryset(self):
        return plan_targets_visible_to(self.request.user).order_by("partnership_id", "year")


# --- yearly counts ----------------------------------------------------------------------------

REPORT_PARAMETERS = [
    OpenApiParameter(
        "year_from", OpenApiTypes.INT, description="First year (default: 4 years ago)."
    ),
    OpenApiParameter("year_to", OpenApiTypes.INT, description="Last year (default: this year)."),
    OpenApiParameter("breakdown", OpenApiTypes.STR, enum=list(BREAKDOWNS)),
    OpenApiParameter(
        "office", OpenApiTypes.INT, description="Managers of all offices only; others: own office."
    ),
    OpenApiParameter("partner_kind", OpenApiTypes.STR, description="Lead partner's kind."),
    OpenApiParameter("partner", OpenApiTypes.INT, description="Lead partner's id."),
    OpenApiParameter("theme", OpenApiTypes.INT),
    OpenApiParameter("offer_type", OpenApiTypes.STR),
    OpenApiParameter("language", OpenApiTypes.STR),
]


class YearlyReportView(ApiMixin, APIView):
    """The yearly counts with the same filters and numbers as /reports/yearly/."""

    required_roles = (MANAGER, STAFF, ADMIN)

    @extend_schema(
        summary="Yearly counts",
        description="Held sessions, modules, participants, enrolments, completions and "
        "participant-hours per year and breakdown, beside the plan: the same numbers and "
        "filters as the yearly report page and its exports. Staff and office-bound managers "
        "count their own office. No personal data.",
        parameters=REPORT_PARAMETERS,
        responses={200: s.YearlyReportSerializer, **_errors(400)},
    )
    def get(self, request):
        form = YearlyReportForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): [
                        error["message"] for error in errors
                    ]
                    for name, errors in form.errors.get_json_data().items()
                }
            )
        filters, breakdown = form.report_filters()
        result = yearly_counts(user=request.user, filters=filters, breakdown=breakdown)
        data = {
            "breakdown": breakdown,
            "year_from": filters.year_from,
            "year_to": filters.year_to,
            "filters": [{"name": n, "value": v} for n, v in form.summary(filters, breakdown)],
            "notices": [str(notice) for notice in form.notices],
            "notes": [str(note) for note in notes_for(result)],
            "rows": s.ReportRowSerializer(result.table(), many=True).data,
        }
        return Response(data)
