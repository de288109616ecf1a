"""Agency staff: partners' offer requests and evaluations of agreements and modules.

Thin views: check the role, fetch through the scoping queries (outsiders get 404), bind a
form, call one service from `modules.services`, redirect with a message.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from partnerships.access import StaffRequiredMixin, office_of
from partnerships.pagination import ForgivingPaginationMixin
from partnerships.queries import partnerships_visible_to

from .. import queries, services
from ..filters import EvaluationFilter, OfferRequestFilter
from ..forms.planning import ModuleForm
from ..forms.requests import (
    DeclineRequestForm,
    EvaluationForm,
    OfferRequestForm,
    PlanRequestForm,
)
from ..models import OfferRequest


def _show_domain_error(form, error: services.DomainError) -> None:
    """Put a refused rule's message on the form (on its field when the service named one)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


# --- offer requests --------------------------------------------------------------------


class OfferRequestListView(StaffRequiredMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = OfferRequestFilter
    template_name = "modules/requests/request_list.html"
    paginate_by = 25

    def get_queryset(self):
        return queries.offer_request_list(self.request.user).order_by("-received_on", "-pk")


class OfferRequestCreateView(StaffRequiredMixin, View):
    template_name = "modules/requests/request_form.html"

    def get(self, request):
        form = OfferRequestForm(office=office_of(request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        office = office_of(request.user)
        form = OfferRequestForm(request.POST, office=office)
        if form.is_valid():
            data = form.cleaned_data
            try:
                offer_request = services.create_offer_request(
                    office=office or data["office"],
                    partner=data["partner"],
                    contact=data.get("contact"),
                    title=data["title"],
                    themes=data.get("themes") or (),
                    target_group=data.get("target_group", ""),
                    expected_participants=data.get("expected_participants"),
                    language=data["language"],
                    description=data.get("description", ""),
                    received_on=data.get("received_on"),
                    created_by=request.user,
                )
            except services.DomainError as error:
                _show_domain_error(form, error)
            else:
                messages.success(request, _("Offer request recorded."))
                return redirect("modules:offer_request_detail", pk=offer_request.pk)
        return render(request, self.template_name, {"form": form})


class FormChoicesView(StaffRequiredMixin, View):
    """GET ?<param>=value: one of the staff forms' long choices, {"results": [{"id",
    "text"}]}: agreements and modules as search-as-you-type (?q=text), contacts under the
    chosen partner or agreement (?partner=id, ?partnership=id). `choices(user, value)`
    answers from the form field's own scoped queryset (modules/queries/staff_home.py)."""

    choices = None
    param = "q"

    def get(self, request):
        value = request.GET.get(self.param, "")
        return JsonResponse({"results": self.choices(request.user, value)})


class OfferRequestMixin(StaffRequiredMixin):
    def get_offer_request(self, pk) -> OfferRequest:
        return get_object_or_404(queries.offer_request_detail(self.request.user), pk=pk)

    def plan_form(self, data=None):
        user = self.request.user
        return PlanRequestForm(
            data,
            partnerships=queries.plannable_partnerships(user).order_by("title"),
            modules=queries.plannable_modules(user),
        )

    def render_detail(self, offer_request, *, plan_form=None, decline_form=None, status=200):
        is_open = offer_request.status in (
            OfferRequest.Status.NEW,
            OfferRequest.Status.UNDER_REVIEW,
        )
        return render(
            self.request,
            "modules/requests/request_detail.html",
            {
                "offer_request": offer_request,
                "is_open": is_open,
                "plan_form": (plan_form or self.plan_form()) if is_open else None,
                "decline_form": (decline_form or DeclineRequestForm()) if is_open else None,
            },
            status=status,
        )


class OfferRequestDetailView(OfferRequestMixin, View):
    def get(self, request, pk):
        return self.render_detail(self.get_offer_request(pk))


class OfferRequestReviewView(OfferRequestMixin, View):
    def post(self, request, pk):
        offer_request = self.get_offer_request(pk)
        try:
            services.review_offer_request(offer_request=offer_request)
        except services.DomainError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The request is under review."))
        return redirect("modules:offer_request_detail", pk=offer_request.pk)


class OfferRequestPlanView(OfferRequestMixin, View):
    def get(self, request, pk):
        offer_request = self.get_offer_request(pk)  # another office's request: 404
        return redirect("modules:offer_request_detail", pk=offer_request.pk)

    def post(self, request, pk):
        offer_request = self.get_offer_request(pk)
        form = self.plan_form(request.POST)
        if form.is_valid():
            try:
                services.plan_offer_request(
                    offer_request=offer_request,
                    partnership=form.cleaned_data["planned_partnership"],
                    module=form.cleaned_data["planned_module"],
                )
            except services.DomainError as error:
                _show_domain_error(form, error)
            else:
                messages.success(request, _("The request is planned."))
                return redirect("modules:offer_request_detail", pk=offer_request.pk)
        return self.render_detail(offer_request, plan_form=form, status=400)


class OfferRequestModuleView(OfferRequestMixin, View):
    """ "Plan a module for this request": the module form prefilled from the request; saving
    creates the module and marks the request planned, linked to it (one service)."""

    template_name = "modules/planning/module_form.html"

    def _open_request(self, pk):
        offer_request = self.get_offer_request(pk)  # another office's request: 404
        if offer_request.status not in (OfferRequest.Status.NEW, OfferRequest.Status.UNDER_REVIEW):
            messages.error(
                self.request,
                _("This request is already %(status)s; it cannot be handled again.")
                % {"status": offer_request.get_status_display().lower()},
            )
            return offer_request, redirect("modules:offer_request_detail", pk=offer_request.pk)
        return offer_request, None

    def _render(self, form, offer_request, status=200):
        context = {"form": form, "module": None, "offer_request": offer_request}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        offer_request, refused = self._open_request(pk)
        if refused:
            return refused
        agreement = queries.current_agreement_for_request(request.user, offer_request)
        initial = {
            "title": offer_request.title,
            "themes": [theme.pk for theme in offer_request.themes.all()],
            "language": offer_request.language,
            "capacity": offer_request.expected_participants,
            "partnership": agreement.pk if agreement else None,
            "description": offer_request.description,
        }
        return self._render(ModuleForm(user=request.user, initial=initial), offer_request)

    def post(self, request, pk):
        offer_request, refused = self._open_request(pk)
        if refused:
            return refused
        form = ModuleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                module = services.plan_module_for_request(
                    offer_request=offer_request,
                    module=form.save(commit=False),
                    themes=form.cleaned_data["themes"],
                    objectives=form.cleaned_data["objectives"],
                    by=request.user,
                )
            except services.DomainError as error:
                _show_domain_error(form, error)
            else:
                messages.success(request, _("The module is saved and the request is planned."))
                return redirect("modules:module_detail", pk=module.pk)
        return self._render(form, offer_request, status=400)


class OfferRequestDeclineView(OfferRequestMixin, View):
    def get(self, request, pk):
        offer_request = self.get_offer_request(pk)  # another office's request: 404
        return redirect("modules:offer_request_detail", pk=offer_request.pk)

    def post(self, request, pk):
        offer_request = self.get_offer_request(pk)
        form = DeclineRequestForm(request.POST)
        if form.is_valid():
            try:
                services.decline_offer_request(
                    offer_request=offer_request, reason=form.cleaned_data["decline_reason"]
                )
            except services.DomainError as error:
                _show_domain_error(form, error)
            else:
                messages.success(request, _("The request is declined."))
                return redirect("modules:offer_request_detail", pk=offer_request.pk)
        return self.render_detail(offer_request, decline_form=form, status=400)


# --- evaluations -----------------------------------------------------------------------


class EvaluationListView(StaffRequiredMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = EvaluationFilter
    template_name = "modules/requests/evaluation_list.html"
    paginate_by = 25

    def get_queryset(self):
        return queries.evaluation_list(self.request.user).order_by("-date", "-pk")


class EvaluationAddView(StaffRequiredMixin, View):
    """Add an evaluation of an agreement (`partnership_pk`) or of a module (`module_pk`)."""

    template_name = "modules/requests/evaluation_form.html"

    def get_subject(self, partnership_pk=None, module_pk=None) -> dict:
        user = self.request.user
        if partnership_pk is not None:
            return {
                "partnership": get_object_or_404(partnerships_visible_to(user), pk=partnership_pk)
            }
        return {"module": get_object_or_404(queries.modules_visible_to(user), pk=module_pk)}

    def get(self, request, partnership_pk=None, module_pk=None):
        subject = self.get_subject(partnership_pk, module_pk)
        return render(request, self.template_name, {"form": EvaluationForm(), **subject})

    def post(self, request, partnership_pk=None, module_pk=None):
        subject = self.get_subject(partnership_pk, module_pk)
        form = EvaluationForm(request.POST)
        if form.is_valid():
            try:
                services.add_evaluation(**subject, **form.cleaned_data, by=request.user)
            except services.DomainError as error:
                _show_domain_error(form, error)
            else:
                messages.success(request, _("Evaluation added."))
                if "partnership" in subject:
                    return redirect("partnerships:partnership_detail", pk=partnership_pk)
                return redirect("modules:module_detail", pk=module_pk)
        return render(request, self.template_name, {"form": form, **subject}, status=400)
