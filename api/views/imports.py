"""Client import for caseworkers: upload a spreadsheet, see what each row would become, then
import the new clients in one go (api.services.run_client_import)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views import View

from modules.services import DomainError
from partnerships.access import CASEWORKER, RoleRequiredMixin

from ..forms import ClientImportForm
from ..imports import (
    HELP,
    MAX_ROWS,
    RowResult,
    SpreadsheetError,
    read_spreadsheet,
    template_csv,
    template_xlsx,
)
from ..queries import pending_client_import
from ..services import preview_client_import, run_client_import


class ImportMixin(RoleRequiredMixin):
    """As registering a client: the organisation's caseworkers only."""

    required_roles = (CASEWORKER,)


class ImportUploadView(ImportMixin, View):
    template_name = "api/imports/upload.html"

    def _page(self, request, form, status=200):
        context = {"form": form, "columns": HELP, "max_rows": MAX_ROWS}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self._page(request, ClientImportForm())

    def post(self, request):
        form = ClientImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            file_format, rows = read_spreadsheet(form.cleaned_data["file"])
            client_import = preview_client_import(
                by=request.user, dataset_rows=rows, file_format=file_format
            )
        except (SpreadsheetError, DomainError) as error:
            message = error.message if isinstance(error, SpreadsheetError) else error.messages[0]
            form.add_error("file", message)
            return self._page(request, form, status=400)
        return redirect("api:client_import_preview", pk=client_import.pk)


class ImportPreviewView(ImportMixin, View):
    """GET: each row's result; POST: import the new ones (then the page shows what happened)."""

    template_name = "api/imports/preview.html"

    def _pending(self, request, pk):
        client_import = pending_client_import(request.user, pk)
        if client_import is None:
            raise Http404
        return client_import

    def get(self, request, pk):
        client_import = self._pending(request, pk)
        results = [RowResult.from_dict(row) for row in client_import.rows]
        return render(
            request,
            self.template_name,
            {"client_import": client_import, "results": results, "done": False},
        )

    def post(self, request, pk):
        client_import = self._pending(request, pk)
        try:
            results = run_client_import(client_import=client_import, by=request.user)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("api:client_import"))
        client_import.refresh_from_db()
        imported = client_import.imported_count
        messages.success(
            request,
            ngettext("%(n)d client was imported.", "%(n)d clients were imported.", imported)
            % {"n": imported},
        )
        response = render(
            request,
            self.template_name,
            {"client_import": client_import, "results": results, "done": True},
        )
        response["Cache-Control"] = "no-store"
        return response


class ImportTemplateView(ImportMixin, View):
    file_format = "xlsx"

    def get(self, request):
        if self.file_format == "csv":
            response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                template_xlsx(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        name = f"clienten-sjabloon.{self.file_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
