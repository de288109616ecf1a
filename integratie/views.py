"""Role-aware home pages: each composes the apps' query functions for one role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from partnerships.access import ADMIN, CASEWORKER, MANAGER, STAFF, role_of


def staff_home_context(user) -> dict:
    """This week's sessions, open requests, open modules, ending agreements, teacherless modules."""
    return {}


def caseworker_home_context(user) -> dict:
    """My organisation's clients with enrolments and next session; modules open to us."""
    return {}


def manager_home_context(user) -> dict:
    """This year's and last year's totals with the change, and a link to the report."""
    return {}


HOME_PAGES = {
    STAFF: ("home_staff.html", staff_home_context),
    CASEWORKER: ("home_caseworker.html", caseworker_home_context),
    MANAGER: ("home_manager.html", manager_home_context),
    ADMIN: ("home_staff.html", staff_home_context),
}


@login_required
def home(request):
    role = role_of(request.user)
    if role not in HOME_PAGES:
        return render(request, "home.html", {"role": role})
    template, context_for = HOME_PAGES[role]
    return render(request, template, {"role": role, **context_for(request.user)})
