"""Printable attendance sheets (issue 11): a print-styled page per session and per module,
with a signature column, the module's data and the agency's name. Staff and administrators
only, through the scoping queries: another office's session or module is a 404."""

from django.utils import timezone
from django.views.generic import TemplateView

from partnerships.access import StaffRequiredMixin

from ..queries import module_sheet, session_sheet


class SessionSheetView(StaffRequiredMixin, TemplateView):
    template_name = "modules/planning/attendance_sheet.html"

    def get_context_data(self, **kwargs):
        session, enrolments = session_sheet(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            module=session.module,
            session=session,
            sessions=[session],
            enrolments=enrolments,
            printed=timezone.localdate(),
            **kwargs,
        )


class ModuleSheetView(StaffRequiredMixin, TemplateView):
    template_name = "modules/planning/attendance_sheet.html"

    def get_context_data(self, **kwargs):
        module, sessions, enrolments = module_sheet(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            module=module,
            session=None,
            sessions=sessions,
            enrolments=enrolments,
            printed=timezone.localdate(),
            # Many sessions as columns: the sheet prints in landscape.
            wide=len(sessions) > 4,
            **kwargs,
        )
