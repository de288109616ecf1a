"""Partner caseworkers register their clients and enrol them into the modules open to their
organisation; agency staff read the clients of their office's modules.

Every view fetches through the scoping queries, so another organisation's client, enrolment
or module is a 404; managers (no personal data) get a 403 from the role check.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from partnerships.access import (
    ADMIN,
    CASEWORKER,
    STAFF,
    RoleRequiredMixin,
    organisation_id_of,
    role_of,
)
from partnerships.pagination import ForgivingPaginationMixin
from partnerships.queries import search_text
from partnerships.validators import format_national_register_number

from ..filters import ClientFilter, OpenModuleFilter
from ..forms.participants import (
    ConsentWithdrawForm,
    EnrolClientForm,
    EnrolClientsForm,
    EraseForm,
    ParticipantForm,
    WithdrawForm,
)
from ..models import Enrolment, Participant
from ..queries import (
    active_clients_for,
    client_detail,
    client_history,
    clients_for,
    count_participants_visible_to,
    data_access_log,
    enrollable_clients_for,
    enrolment_for_withdrawal,
    open_module_detail,
    open_modules_for,
    open_modules_for_client,
    participants_visible_to,
    sees_whole_record,
)
from ..services import (
    DomainError,
    enrol,
    erase_participant,
    export_personal_data,
    personal_data_document,
    register_participant,
    reveal_national_register_number,
    update_participant,
    withdraw,
    withdraw_consent,
)

# The session key under which a reveal is remembered for exactly one page view.
REVEALED_SESSION_KEY = "revealed_national_number_of"


class ReadClientsMixin(RoleRequiredMixin):
    """Reading a client's data: their caseworkers, and staff for their office's modules."""

    required_roles = (CASEWORKER, STAFF, ADMIN)


class CaseworkerMixin(RoleRequiredMixin):
    """Changing clients and enrolments: partner caseworkers (and administrators)."""

    required_roles = (CASEWORKER, ADMIN)


def _visible_participant(request, pk) -> Participant:
    return get_object_or_404(participants_visible_to(request.user), pk=pk)


def _client_url(pk) -> str:
    return reverse("modules:participant_detail", kwargs={"pk": pk})


def _outcome(participant: Participant, enrolment: Enrolment | None, error=None) -> dict:
    """One row of the enrolment result page."""
    if error is not None:
        return {
            "participant": participant,
            "outcome": "refused",
            "reason": " ".join(error.messages),
        }
    return {
        "participant": participant,
        "outcome": enrolment.status,
        "position": enrolment.waitlist_position,
    }


# --- clients -----------------------------------------------------------------------------


class ClientListView(ReadClientsMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = ClientFilter
    template_name = "modules/participants/client_list.html"
    paginate_by = 25

    def get_queryset(self):
        return clients_for(self.request.user)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        form = self.filterset.form
        if not form.is_bound or (form.is_valid() and not form.cleaned_data.get("q")):
            # Unfiltered: the same number, counted the cheap way (the caption and the pages).
            paginator.count = count_participants_visible_to(self.request.user)
        return paginator


class ClientDetailView(ReadClientsMixin, TemplateView):
    template_name = "modules/participants/client_detail.html"

    def get_context_data(self, **kwargs):
        participant = client_detail(self.request.user, self.kwargs["pk"])
        revealed = self.request.session.pop(REVEALED_SESSION_KEY, None) == participant.pk
        is_caseworker = role_of(self.request.user) in (CASEWORKER, ADMIN)
        return super().get_context_data(
            participant=participant,
            national_number=(
                format_national_register_number(participant.national_register_number)
                if revealed and participant.national_register_number
                else participant.masked_national_register_number
            ),
            revealed=revealed,
            can_change=is_caseworker and participant.anonymised_at is None,
            can_edit=role_of(self.request.user) == CASEWORKER and not participant.anonymised_at,
            access_log=data_access_log(self.request.user, participant),
            history=client_history(
                self.request.user,
                participant,
                show_all=self.request.GET.get("history") == "all",
            ),
            speaks_for_client=(
                sees_whole_record(self.request.user, participant) and not participant.anonymised_at
            ),
            **kwargs,
        )


class OwnClientsMixin(RoleRequiredMixin):
    """Registering and editing: only the caseworkers of the client's organisation."""

    required_roles = (CASEWORKER,)


class ClientCreateView(OwnClientsMixin, View):
    template_name = "modules/participants/client_form.html"

    def _form(self, data=None):
        organisation_id = organisation_id_of(self.request.user)
        return ParticipantForm(data, organisation_id=organisation_id, registering=True)

    def get(self, request):
        return render(request, self.template_name, {"form": self._form(), "participant": None})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                participant = register_participant(
                    by=request.user, fields=form.participant_fields()
                )
            except DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The client is registered."))
                return redirect(_client_url(participant.pk))
        return render(request, self.template_name, {"form": form, "participant": None})


class ClientUpdateView(OwnClientsMixin, View):
    template_name = "modules/participants/client_form.html"

    def _participant(self, pk) -> Participant:
        return get_object_or_404(active_clients_for(self.request.user), pk=pk)

    def _form(self, participant, data=None):
        return ParticipantForm(
            data,
            instance=participant,
            organisation_id=participant.organisation_id,
            registering=False,
        )

    def get(self, request, pk):
        participant = self._participant(pk)
        return render(
            request,
            self.template_name,
            {"form": self._form(participant), "participant": participant},
        )

    def post(self, request, pk):
        participant = self._participant(pk)
        form = self._form(participant, request.POST)
        if form.is_valid():
            try:
                update_participant(
                    participant=participant, by=request.user, fields=form.participant_fields()
                )
            except DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The client's data are saved."))
                return redirect(_client_url(participant.pk))
        participant.refresh_from_db()
        return render(request, self.template_name, {"form": form, "participant": participant})


class RevealNationalNumberView(ReadClientsMixin, View):
    """POST only: show the full number on the next page view, and record who saw it."""

    def post(self, request, pk):
        participant = _visible_participant(request, pk)
        if not participant.national_register_number:
            return redirect(_client_url(participant.pk))
        try:
            reveal_national_register_number(participant=participant, by=request.user)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session[REVEALED_SESSION_KEY] = participant.pk
        return redirect(_client_url(participant.pk))


class ExportView(ReadClientsMixin, View):
    """POST only: a JSON download of everything stored about one client (right of access)."""

    def post(self, request, pk):
        participant = _visible_participant(request, pk)
        try:
            data = export_personal_data(participant=participant, by=request.user)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_client_url(participant.pk))
        response = JsonResponse(
            data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
        )
        response["Content-Disposition"] = f'attachment; filename="client-{participant.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response


class _SpeakForClientView(ReadClientsMixin, View):
    """A confirmation page and its POST for an act of the client's own organisation (erasure,
    consent); the service says no to anyone else (staff, another organisation)."""

    template_name = ""
    form_class = None

    def _participant(self, request, pk) -> Participant:
        participant = _visible_participant(request, pk)
        if not sees_whole_record(request.user, participant):
            raise PermissionDenied
        return participant

    def _page(self, request, participant, form):
        return render(request, self.template_name, {"participant": participant, "form": form})

    def get(self, request, pk):
        return self._page(request, self._participant(request, pk), self.form_class())

    def post(self, request, pk):
        participant = self._participant(request, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.act(participant, form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error)
            else:
                return redirect(_client_url(participant.pk))
        return self._page(request, participant, form)


class ClientEraseView(_SpeakForClientView):
    template_name = "modules/participants/client_erase.html"
    form_class = EraseForm

    def act(self, participant, data):
        erase_participant(participant=participant, by=self.request.user, reason=data["reason"])
        messages.success(self.request, _("The client's personal data are erased."))


class ClientConsentWithdrawView(_SpeakForClientView):
    template_name = "modules/participants/client_consent_withdraw.html"
    form_class = ConsentWithdrawForm

    def act(self, participant, data):
        withdraw_consent(participant=participant, by=self.request.user)
        messages.success(self.request, _("The withdrawal of consent is recorded."))


class ExportDocumentView(ReadClientsMixin, View):
    """POST only: the same export as a readable Dutch page to print and hand to the person
    (labels in Dutch, Brussels times, statuses in words); recorded like the JSON export."""

    def post(self, request, pk):
        participant = _visible_participant(request, pk)
        # In the agencies' language whatever the screen's, like the mails.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                data = personal_data_document(participant=participant, by=request.user)
            except DomainError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(_client_url(participant.pk))
            response = render(
                request,
                "modules/participants/client_export_document.html",
                {"data": data, "participant": participant},
            )
        response["Cache-Control"] = "no-store"
        return response


# --- enrolment ---------------------------------------------------------------------------


class ClientEnrolView(CaseworkerMixin, View):
    """Enrol one client: choose among the modules open to the organisation."""

    template_name = "modules/participants/client_enrol.html"

    def _setup(self, request, pk):
        participant = get_object_or_404(active_clients_for(request.user), pk=pk)
        return participant, open_modules_for_client(request.user, participant)

    def get(self, request, pk):
        participant, modules = self._setup(request, pk)
        form = EnrolClientForm(modules=modules)
        return render(request, self.template_name, {"participant": participant, "form": form})

    def post(self, request, pk):
        participant, modules = self._setup(request, pk)
        form = EnrolClientForm(request.POST, modules=modules)
        if not form.is_valid():
            return render(request, self.template_name, {"participant": participant, "form": form})
        module = form.cleaned_data["module"]
        try:
            result = _outcome(
                participant, enrol(participant=participant, module=module, by=request.user)
            )
        except DomainError as error:
            result = _outcome(participant, None, error)
        return render(
            request,
            "modules/participants/enrol_result.html",
            {"module": module, "results": [result], "back_url": _client_url(participant.pk)},
        )


class OpenModuleListView(CaseworkerMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = OpenModuleFilter
    template_name = "modules/participants/open_module_list.html"
    paginate_by = 25

    def get_queryset(self):
        return open_modules_for(self.request.user)


class OpenModuleDetailView(CaseworkerMixin, View):
    """An open module with its sessions and places; POST enrols the chosen clients."""

    template_name = "modules/participants/open_module_detail.html"

    paginate_by = 25

    def _setup(self, request, pk):
        module = open_module_detail(request.user, pk)
        return module, enrollable_clients_for(request.user, module)

    def _render(self, request, module, form, status=200):
        """The page with one page of the clients not yet in the module, searched (GET ?q=)."""
        search = search_text(request.GET.get("q"))
        clients = enrollable_clients_for(request.user, module, search=search)
        page = Paginator(clients, self.paginate_by).get_page(request.GET.get("page"))
        chosen = set(form["participants"].value() or ()) if form.is_bound else set()
        context = {
            "module": module,
            "form": form,
            "search": search,
            "page_obj": page,
            "chosen": {str(pk) for pk in chosen},
            "has_clients": page.paginator.count > 0 or bool(search),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        module, clients = self._setup(request, pk)
        return self._render(request, module, EnrolClientsForm(clients=clients))

    def post(self, request, pk):
        module, clients = self._setup(request, pk)
        form = EnrolClientsForm(request.POST, clients=clients)
        if not form.is_valid():
            return self._render(request, module, form)
        results = []
        for participant in form.cleaned_data["participants"]:
            try:
                enrolment = enrol(participant=participant, module=module, by=request.user)
            except DomainError as error:
                results.append(_outcome(participant, None, error))
            else:
                results.append(_outcome(participant, enrolment))
        back_url = reverse("modules:open_module_detail", kwargs={"pk": module.pk})
        return render(
            request,
            "modules/participants/enrol_result.html",
            {"module": module, "results": results, "back_url": back_url},
        )


class WithdrawView(CaseworkerMixin, View):
    """GET: confirmation page with an optional reason; POST: withdraw."""

    template_name = "modules/participants/withdraw_confirm.html"

    def get(self, request, pk):
        enrolment = enrolment_for_withdrawal(request.user, pk)
        return render(request, self.template_name, {"enrolment": enrolment, "form": WithdrawForm()})

    def post(self, request, pk):
        enrolment = enrolment_for_withdrawal(request.user, pk)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"enrolment": enrolment, "form": form})
        was_enrolled = enrolment.status == Enrolment.Status.ENROLLED
        try:
            withdraw(enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            # No client name in the message: messages may travel in a cookie.
            if was_enrolled:
                messages.success(
                    request,
                    _(
                        "The client is withdrawn from %(module)s. The place goes to the first "
                        "client on the waiting list, if there is one."
                    )
                    % {"module": enrolment.module},
                )
            else:
                messages.success(
                    request,
                    _("The client is withdrawn from %(module)s.") % {"module": enrolment.module},
                )
        return redirect(_client_url(enrolment.participant_id))
