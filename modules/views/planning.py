"""Agency staff plan and run modules: modules, sessions, attendance, completion, certificates.

Every view admits staff and administrators only, and fetches through the scoping queries,
so another office's module, session or enrolment is a 404.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from partnerships.access import StaffRequiredMixin
from partnerships.pagination import ForgivingPaginationMixin

from .. import lifecycle
from ..filters import ModuleFilter
from ..forms.planning import (
    AttendanceForm,
    ModuleForm,
    ReasonForm,
    SessionEditForm,
    SessionForm,
    SessionMoveForm,
    SessionSeriesForm,
    WaitlistActionForm,
)
from ..models import Module, Session
from ..queries import (
    attendance_enrolments,
    certificate_enrolment,
    group_enrolments,
    module_history,
    modules_visible_to,
    planning_module_detail,
    planning_modules_for,
    planning_session,
    session_history,
    staff_enrolment,
)
from ..services import (
    DomainError,
    add_session,
    cancel_module,
    cancel_session,
    check_attendance,
    close_enrolment,
    close_module,
    enrol_from_waitlist,
    generate_sessions,
    move_on_waitlist,
    move_session,
    open_enrolment,
    plan_session_dates,
    record_attendance,
    save_module,
    update_session,
    withdraw,
)

# The session key under which the module page finds who a raised capacity promoted (names
# stay out of messages, which may travel in a cookie).
PROMOTED_SESSION_KEY = "promoted_enrolments"


def _module_url(module_or_pk) -> str:
    pk = getattr(module_or_pk, "pk", module_or_pk)
    return reverse("modules:module_detail", kwargs={"pk": pk})


def _visible_module(request, pk) -> Module:
    return get_object_or_404(modules_visible_to(request.user).select_related("partnership"), pk=pk)


def _error(request, error: DomainError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- modules ------------------------------------------------------------------------


class ModuleListView(StaffRequiredMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = ModuleFilter
    paginate_by = 25
    template_name = "modules/planning/module_list.html"
    context_object_name = "modules"

    def get_queryset(self):
        return planning_modules_for(self.request.user)


def _all_history(request) -> bool:
    """The detail pages show the latest changes; ``?history=all`` asks for the whole history."""
    return request.GET.get("history") == "all"


class ModuleDetailView(StaffRequiredMixin, TemplateView):
    template_name = "modules/planning/module_detail.html"

    def get_context_data(self, **kwargs):
        module = planning_module_detail(self.request.user, self.kwargs["pk"])
        sessions = list(module.sessions.all())
        counts = lifecycle.Sessions.of(sessions, timezone.localdate())
        groups = group_enrolments(module)
        promoted_ids = set(self.request.session.pop(PROMOTED_SESSION_KEY, None) or ())
        return super().get_context_data(
            promoted=[e for e in groups["enrolled"] if e.pk in promoted_ids],
            module=module,
            sessions=sessions,
            groups=groups,
            evaluations=list(module.evaluations.all()),
            finished=module.is_closed,
            next_step=lifecycle.next_step(module, counts),
            # Each action is offered with what blocks it, so the page says why it is not yet
            # possible instead of hiding it.
            can_open_enrolment=lifecycle.open_enrolment_blocker(module, counts) is None,
            can_close_enrolment=lifecycle.close_enrolment_blocker(module) is None,
            close_blocker=lifecycle.close_blocker(module, counts),
            evaluation_add_url=reverse(
                "modules:evaluation_add_module", kwargs={"module_pk": module.pk}
            ),
            history=module_history(module, show_all=_all_history(self.request)),
            **kwargs,
        )


class ModuleFormMixin(StaffRequiredMixin):
    template_name = "modules/planning/module_form.html"

    def render_form(self, form, module=None):
        return render(self.request, self.template_name, {"form": form, "module": module})

    def save(self, form, module=None):
        instance = form.save(commit=False)
        try:
            instance = save_module(
                module=instance,
                themes=form.cleaned_data["themes"],
                objectives=form.cleaned_data["objectives"],
                by=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
            return self.render_form(form, module)
        messages.success(self.request, _("The module is saved."))
        if instance.promoted:
            messages.success(
                self.request,
                ngettext(
                    "%(n)d client moved up from the waiting list into the new place.",
                    "%(n)d clients moved up from the waiting list into the new places.",
                    len(instance.promoted),
                )
                % {"n": len(instance.promoted)},
            )
            self.request.session[PROMOTED_SESSION_KEY] = [e.pk for e in instance.promoted]
        return redirect(_module_url(instance))


class ModuleCreateView(ModuleFormMixin, View):
    def get(self, request):
        # "New module" links from an agreement's page pass ?partnership=<pk> to preselect it.
        partnership = request.GET.get("partnership", "")
        initial = {"partnership": partnership} if partnership.isdigit() else {}
        return self.render_form(ModuleForm(user=request.user, initial=initial))

    def post(self, request):
        form = ModuleForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(form)
        return self.save(form)


class ModuleUpdateView(ModuleFormMixin, View):
    def dispatch_module(self, request, pk):
        module = _visible_module(request, pk)
        if blocker := lifecycle.closed_blocker(module):
            messages.error(request, blocker)
            return module, redirect(_module_url(module))
        return module, None

    def get(self, request, pk):
        module, refused = self.dispatch_module(request, pk)
        return refused or self.render_form(ModuleForm(instance=module, user=request.user), module)

    def post(self, request, pk):
        module, refused = self.dispatch_module(request, pk)
        if refused:
            return refused
        form = ModuleForm(request.POST, instance=module, user=request.user)
        if not form.is_valid():
            return self.render_form(form, module)
        return self.save(form, module)


class ModuleCancelView(StaffRequiredMixin, View):
    template_name = "modules/planning/module_cancel.html"

    def get(self, request, pk):
        module = _visible_module(request, pk)
        return render(request, self.template_name, {"module": module, "form": ReasonForm()})

    def post(self, request, pk):
        module = _visible_module(request, pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"module": module, "form": form})
        try:
            cancel_module(module=module, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(
                request, _("The module is cancelled; the caseworkers of its clients are told.")
            )
        return redirect(_module_url(module))


class ModuleEnrolmentView(StaffRequiredMixin, View):
    """POST only: open or close enrolment (`open` says which), by the lifecycle services."""

    open = True

    def post(self, request, pk):
        module = _visible_module(request, pk)
        try:
            if self.open:
                open_enrolment(module=module, by=request.user)
            else:
                close_enrolment(module=module, by=request.user)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(
                request,
                _("Enrolment is open: caseworkers can enrol their clients.")
                if self.open
                else _("Enrolment is closed; the enrolments made stay."),
            )
        return redirect(_module_url(module))


class ModuleCloseView(StaffRequiredMixin, View):
    template_name = "modules/planning/module_close.html"

    def get(self, request, pk):
        module = planning_module_detail(request.user, pk)
        counts = lifecycle.Sessions.of(module.sessions.all(), timezone.localdate())
        context = {
            "module": module,
            "held": counts.held,
            "planned": counts.planned,
            "cancelled": counts.cancelled,
            "blocker": lifecycle.close_blocker(module, counts),
        }
        return render(request, self.template_name, context)

    def post(self, request, pk):
        module = _visible_module(request, pk)
        try:
            close_module(module=module, by=request.user)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("The module is closed; completions are recorded."))
        return redirect(_module_url(module))


class EnrolmentManageView(StaffRequiredMixin, View):
    """Staff manage one enrolment of their module: move a waitlisted client up or down, give
    them a free place, or withdraw a client on the caseworker's request, each with a reason."""

    template_name = "modules/planning/enrolment_manage.html"

    def render_page(self, enrolment, form, status=200):
        module = enrolment.module
        context = {
            "enrolment": enrolment,
            "module": module,
            "form": form,
            "has_free_place": module.free_places > 0,
        }
        return render(self.request, self.template_name, context, status=status)

    def get_enrolment(self, pk):
        return staff_enrolment(self.request.user, pk)

    def get(self, request, pk):
        return self.render_page(self.get_enrolment(pk), WaitlistActionForm())

    def post(self, request, pk):
        enrolment = self.get_enrolment(pk)
        form = WaitlistActionForm(request.POST)
        if not form.is_valid():
            return self.render_page(enrolment, form, status=400)
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        try:
            if action in ("up", "down"):
                moved = move_on_waitlist(
                    enrolment=enrolment, up=action == "up", by=request.user, reason=reason
                )
                done = _("The client is now number %(n)d on the waiting list.") % {
                    "n": moved.waitlist_position
                }
            elif action == "enrol":
                enrol_from_waitlist(enrolment=enrolment, by=request.user, reason=reason)
                done = _("The client is enrolled in a free place; the caseworker is told.")
            else:
                withdraw(enrolment=enrolment, by=request.user, reason=reason)
                done = _("The client is withdrawn; the caseworker is told.")
        except DomainError as error:
            form.add_error(None, error)
            return self.render_page(enrolment, form, status=400)
        messages.success(request, done)
        return redirect(_module_url(enrolment.module_id) + "#enrolments-heading")


# --- sessions -------------------------------------------------------------------------


class SessionAddView(StaffRequiredMixin, View):
    template_name = "modules/planning/session_form.html"

    def render_form(self, form, module):
        context = {"form": form, "module": module, "heading": _("Add a session")}
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        module = _visible_module(request, pk)
        return self.render_form(SessionForm(initial={"location": module.location}), module)

    def post(self, request, pk):
        module = _visible_module(request, pk)
        form = SessionForm(request.POST, instance=Session(module=module))
        if not form.is_valid():
            return self.render_form(form, module)
        try:
            add_session(session=form.save(commit=False), by=request.user)
        except DomainError as error:
            form.add_error(None, error)
            return self.render_form(form, module)
        messages.success(request, _("The session is added."))
        return redirect(_module_url(module))


class SessionGenerateView(StaffRequiredMixin, View):
    """A series in two steps: the first submit previews, "Save" (`confirm`) creates.

    Without JavaScript the preview is a page of its own carrying the form in hidden fields.
    """

    form_template = "modules/planning/session_generate.html"
    preview_template = "modules/planning/session_generate_preview.html"

    def get(self, request, pk):
        module = _visible_module(request, pk)
        form = SessionSeriesForm(initial={"location": module.location, "interval_weeks": 1})
        return render(request, self.form_template, {"form": form, "module": module})

    def post(self, request, pk):
        module = _visible_module(request, pk)
        form = SessionSeriesForm(request.POST)
        context = {"form": form, "module": module}
        if not form.is_valid() or "edit" in request.POST:
            return render(request, self.form_template, context)
        rule = form.rule()
        try:
            if "confirm" in request.POST:
                created = generate_sessions(module=module, rule=rule)
            else:
                dates, skipped = plan_session_dates(rule)
        except DomainError as error:
            form.add_error(None, error)
            return render(request, self.form_template, context)
        if "confirm" in request.POST:
            messages.success(
                request,
                ngettext("%(n)d session is planned.", "%(n)d sessions are planned.", len(created))
                % {"n": len(created)},
            )
            return redirect(_module_url(module))
        context.update(dates=dates, skipped=skipped, rule=rule)
        return render(request, self.preview_template, context)


class SessionActionMixin(StaffRequiredMixin):
    """Fetch a visible session; a held or cancelled one can only be viewed, not moved."""

    refuse_held = True
    show_history = False

    def get_session(self, request, pk) -> tuple[Session, HttpResponseRedirect | None]:
        session = planning_session(request.user, pk)
        if blocker := lifecycle.session_change_blocker(session, moving=self.refuse_held):
            messages.error(request, blocker)
            return session, redirect(_module_url(session.module_id))
        return session, None

    def render_page(self, form, session):
        context = {
            "form": form,
            "session": session,
            "module": session.module,
            "heading": self.heading,
        }
        if self.show_history:
            context["history"] = session_history(session, show_all=_all_history(self.request))
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        session, refused = self.get_session(request, pk)
        return refused or self.render_page(self.make_form(session), session)

    def post(self, request, pk):
        session, refused = self.get_session(request, pk)
        if refused:
            return refused
        form = self.make_form(session, request.POST)
        if not form.is_valid():
            return self.render_page(form, session)
        try:
            self.act(session, form)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, self.done)
        return redirect(_module_url(session.module_id))


class SessionEditView(SessionActionMixin, View):
    template_name = "modules/planning/session_form.html"
    heading = _("Edit a session")
    done = _("The session is saved.")
    refuse_held = False
    show_history = True

    def make_form(self, session, data=None):
        return SessionEditForm(data, instance=session)

    def act(self, session, form):
        update_session(
            session=session,
            location=form.cleaned_data["location"],
            topic=form.cleaned_data["topic"],
            by=self.request.user,
        )


class SessionMoveView(SessionActionMixin, View):
    template_name = "modules/planning/session_form.html"
    heading = _("Move a session")
    done = _("The session is moved.")

    def make_form(self, session, data=None):
        initial = {"date": session.date, "start_time": session.start_time}
        initial["end_time"] = session.end_time
        return SessionMoveForm(data, initial=initial)

    def act(self, session, form):
        move_session(session=session, by=self.request.user, **form.cleaned_data)


class SessionCancelView(SessionActionMixin, View):
    template_name = "modules/planning/session_cancel.html"
    heading = _("Cancel a session")
    done = _("The session is cancelled.")

    def make_form(self, session, data=None):
        return ReasonForm(data)

    def act(self, session, form):
        cancel_session(session=session, reason=form.cleaned_data["reason"], by=self.request.user)


# --- attendance, certificates -----------------------------------------------------------


class AttendanceView(StaffRequiredMixin, View):
    template_name = "modules/planning/attendance.html"

    def render_page(self, form, session):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "session": session,
                "module": session.module,
                "history": session_history(session, show_all=_all_history(self.request)),
            },
        )

    def get_session(self, request, pk):
        session = planning_session(request.user, pk)
        try:
            check_attendance(session)  # the service's own rule: its message, not a copy
        except DomainError as error:
            _error(request, error)
            return session, redirect(_module_url(session.module_id))
        return session, None

    def get(self, request, pk):
        session, refused = self.get_session(request, pk)
        if refused:
            return refused
        # "Everyone present" (?all=present) fills the form; the absent are then changed.
        all_present = request.GET.get("all") == "present"
        form = AttendanceForm(enrolments=attendance_enrolments(session), all_present=all_present)
        return self.render_page(form, session)

    def post(self, request, pk):
        session, refused = self.get_session(request, pk)
        if refused:
            return refused
        form = AttendanceForm(request.POST, enrolments=attendance_enrolments(session))
        if not form.is_valid():
            return self.render_page(form, session)
        try:
            saved = record_attendance(session=session, marks=form.marks(), by=request.user)
        except DomainError as error:
            _error(request, error)
            return self.render_page(form, session)
        messages.success(
            request,
            ngettext(
                "Attendance of %(n)d participant is saved; the session is marked held.",
                "Attendance of %(n)d participants is saved; the session is marked held.",
                saved,
            )
            % {"n": saved},
        )
        return redirect(_module_url(session.module_id))


class CertificateView(StaffRequiredMixin, TemplateView):
    template_name = "modules/planning/certificate.html"

    def get_context_data(self, **kwargs):
        enrolment = certificate_enrolment(self.request.user, self.kwargs["pk"])
        return super().get_context_data(enrolment=enrolment, module=enrolment.module, **kwargs)
