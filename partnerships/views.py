"""Staff screens of the partnerships app: partner organisations and cooperation agreements.

Thin views: check the role (`RoleRequiredMixin`), fetch through the scoping queries (an
outsider gets 404), bind a form, call one service, redirect with a message.
"""

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from . import queries, services
from .access import StaffRequiredMixin, office_of
from .filters import PartnerOrganisationFilter, PartnershipFilter
from .forms import (
    AgreementDocumentForm,
    ContactFormSet,
    PartnerOrganisationForm,
    PartnershipForm,
    contact_values,
    plan_target_formset,
    plan_values,
)
from .models import PartnerOrganisation, Partnership
from .pagination import ForgivingPaginationMixin

# --- partner organisations -------------------------------------------------------------


class PartnerListView(StaffRequiredMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = PartnerOrganisationFilter
    template_name = "partnerships/partner_list.html"
    paginate_by = 25

    def get_queryset(self):
        return queries.partner_list(self.request.user).order_by("name", "pk")


def _all_history(request) -> bool:
    """The detail pages show the latest changes; ``?history=all`` asks for the whole history."""
    return request.GET.get("history") == "all"


class PartnerDetailView(StaffRequiredMixin, View):
    def get(self, request, pk):
        organisation = get_object_or_404(
            queries.partner_organisations_visible_to(request.user).prefetch_related("contacts"),
            pk=pk,
        )
        return render(
            request,
            "partnerships/partner_detail.html",
            {
                "organisation": organisation,
                "partnerships": queries.partner_partnerships(request.user, organisation),
                "history": queries.partner_history(organisation, show_all=_all_history(request)),
            },
        )


class PartnerFormView(StaffRequiredMixin, View):
    """Create (no pk) or edit a partner organisation with its contacts in one form."""

    template_name = "partnerships/partner_form.html"

    def get_object(self, pk):
        if pk is None:
            return PartnerOrganisation()
        return get_object_or_404(queries.partner_organisations_visible_to(self.request.user), pk=pk)

    def get(self, request, pk=None):
        organisation = self.get_object(pk)
        form = PartnerOrganisationForm(instance=organisation)
        contacts = ContactFormSet(instance=organisation, prefix="contacts")
        return self.render(form, contacts, organisation)

    def post(self, request, pk=None):
        organisation = self.get_object(pk)
        form = PartnerOrganisationForm(request.POST, instance=organisation)
        contacts = ContactFormSet(request.POST, instance=organisation, prefix="contacts")
        if form.is_valid() and contacts.is_valid():
            try:
                organisation = services.save_partner_organisation(
                    organisation=form.save(commit=False), contacts=contact_values(contacts)
                )
            except services.DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Partner organisation saved."))
                return redirect("partnerships:partner_detail", pk=organisation.pk)
        return self.render(form, contacts, organisation)

    def render(self, form, contacts, organisation):
        return render(
            self.request,
            self.template_name,
            {"form": form, "contacts": contacts, "organisation": organisation},
        )


class PartnerActiveView(StaffRequiredMixin, View):
    """Deactivate (or reactivate) a partner: partners with history are never deleted."""

    def post(self, request, pk):
        organisation = get_object_or_404(
            queries.partner_organisations_visible_to(request.user), pk=pk
        )
        active = request.POST.get("active") == "1"
        services.set_partner_active(organisation=organisation, active=active)
        if active:
            messages.success(request, _("The partner organisation is active again."))
        else:
            messages.success(
                request,
                _("The partner organisation is deactivated; its history is kept."),
            )
        return redirect("partnerships:partner_detail", pk=organisation.pk)


# --- cooperation agreements -----------------------------------------------------------


class PartnershipListView(StaffRequiredMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = PartnershipFilter
    template_name = "partnerships/partnership_list.html"
    paginate_by = 25

    def get_queryset(self):
        return queries.partnership_list(self.request.user).order_by("-start_date", "title", "pk")


class PartnershipDetailView(StaffRequiredMixin, View):
    def get(self, request, pk):
        partnership = get_object_or_404(queries.partnership_detail(request.user), pk=pk)
        return render(
            request,
            "partnerships/partnership_detail.html",
            {
                "partnership": partnership,
                "years": queries.plan_against_realised(partnership),
                "document_form": AgreementDocumentForm(),
                "history": queries.partnership_history(partnership, show_all=_all_history(request)),
            },
        )


class PartnershipFormView(StaffRequiredMixin, View):
    """Create (no pk) or edit an agreement with its partners and plan targets per year."""

    template_name = "partnerships/partnership_form.html"

    def get_object(self, pk):
        if pk is None:
            return Partnership()
        return get_object_or_404(queries.partnerships_visible_to(self.request.user), pk=pk)

    def get(self, request, pk=None):
        partnership = self.get_object(pk)
        form = PartnershipForm(instance=partnership, office=office_of(request.user))
        targets = plan_target_formset(partnership=partnership, today=timezone.localdate())
        return self.render(form, targets, partnership)

    def post(self, request, pk=None):
        partnership = self.get_object(pk)
        form = PartnershipForm(request.POST, instance=partnership, office=office_of(request.user))
        targets = plan_target_formset(
            request.POST, partnership=partnership, today=timezone.localdate()
        )
        if form.is_valid() and targets.is_valid():
            try:
                partnership = services.save_partnership(
                    partnership=form.save(commit=False),
                    partners=form.cleaned_data["partners"],
                    plans=plan_values(targets),
                )
            except services.DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Cooperation agreement saved."))
                return redirect("partnerships:partnership_detail", pk=partnership.pk)
        return self.render(form, targets, partnership)

    def render(self, form, targets, partnership):
        return render(
            self.request,
            self.template_name,
            {"form": form, "targets": targets, "partnership": partnership},
        )


class PartnershipDeleteView(StaffRequiredMixin, View):
    """Only an agreement without history can go; otherwise the user is told to cancel it."""

    template_name = "partnerships/partnership_confirm_delete.html"

    def get_object(self, pk):
        return get_object_or_404(queries.partnerships_visible_to(self.request.user), pk=pk)

    def get(self, request, pk):
        return render(request, self.template_name, {"partnership": self.get_object(pk)})

    def post(self, request, pk):
        partnership = self.get_object(pk)
        try:
            services.delete_partnership(partnership=partnership)
        except services.DomainError as error:
            messages.error(request, error.messages[0])
            return redirect("partnerships:partnership_detail", pk=partnership.pk)
        messages.success(request, _("Cooperation agreement deleted."))
        return redirect("partnerships:partnership_list")


class AgreementUploadView(StaffRequiredMixin, View):
    template_name = "partnerships/partnership_document.html"

    def get_object(self, pk):
        return get_object_or_404(queries.partnerships_visible_to(self.request.user), pk=pk)

    def get(self, request, pk):
        partnership = self.get_object(pk)
        return render(
            request,
            self.template_name,
            {"partnership": partnership, "form": AgreementDocumentForm()},
        )

    def post(self, request, pk):
        partnership = self.get_object(pk)
        form = AgreementDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_agreement_document(
                    partnership=partnership, document=form.cleaned_data["document"]
                )
            except services.DomainError as error:
                form.add_error("document", error)
            else:
                messages.success(request, _("The signed agreement is stored."))
                return redirect("partnerships:partnership_detail", pk=partnership.pk)
        return render(
            request, self.template_name, {"partnership": partnership, "form": form}, status=400
        )


class AgreementDownloadView(StaffRequiredMixin, View):
    """Stream the signed agreement as an attachment; media files are never served by URL."""

    def get(self, request, pk):
        partnership = get_object_or_404(queries.partnerships_visible_to(request.user), pk=pk)
        if not partnership.document:
            raise Http404
        try:
            handle = partnership.document.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=Path(partnership.document.name).name,
            content_type="application/pdf",
        )


# --- search-as-you-type choices for the list filters (issue 10) ---------------------------


class PartnerChoicesView(StaffRequiredMixin, View):
    """GET ?q=text[&of=agreements | &active=1]: {"results": [{"id", "text"}]}, visible
    partners only; `active=1`: those a form may choose (the agreement and request forms)."""

    def get(self, request):
        partners = queries.partner_search_rows(
            request.user,
            of_agreements=request.GET.get("of") == "agreements",
            active=request.GET.get("active") == "1",
        )
        results = queries.partner_choices(partners, request.GET.get("q", ""))
        return JsonResponse({"results": results})


class PartnershipChoicesView(StaffRequiredMixin, View):
    """GET ?q=text: {"results": [{"id", "text"}]}, the agreements the user may see."""

    def get(self, request):
        results = queries.partnership_choices(request.user, request.GET.get("q", ""))
        return JsonResponse({"results": results})
