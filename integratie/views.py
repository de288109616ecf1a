"""Role-aware home pages: each composes the apps' query functions for one role."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules import queries as module_queries
from partnerships import queries as partnership_queries
from partnerships.access import ADMIN, CASEWORKER, MANAGER, STAFF, role_of

# Each list on the staff home page shows at most this many rows, with a "show all" link to
# its list page when there are more (an administrator sees every office: thousands).
HOME_LIST_LIMIT = 10


def _bounded(queryset, limit: int = HOME_LIST_LIMIT) -> tuple[list, bool]:
    """The first `limit` rows and whether there are more (one query: limit + 1 rows)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def staff_home_context(user) -> dict:
    """This week's sessions, open requests, open modules, ending agreements, teacherless modules."""
    today = timezone.localdate()
    monday, sunday = module_queries.week_bounds(today)
    context = {"today": today, "week_start": monday, "week_end": sunday}
    for name, queryset in (
        ("week_sessions", module_queries.sessions_in_week(user, today=today)),
        ("open_requests", module_queries.offer_requests_open(user)),
        ("open_modules", module_queries.modules_open_for_enrolment(user)),
        (
            "ending_partnerships",
            partnership_queries.partnerships_ending_soon(user, today=today, days=60),
        ),
        ("modules_without_teacher", module_queries.modules_without_teacher(user)),
    ):
        context[name], context[f"{name}_more"] = _bounded(queryset)
    return context


def caseworker_home_context(user) -> dict:
    """My organisation's clients with enrolments and next session; modules open to us."""
    open_modules = module_queries.open_modules_for(user)
    return {
        "clients": list(module_queries.home_clients_for(user, limit=25)),
        "client_count": module_queries.participants_visible_to(user).count(),
        "open_modules": list(open_modules[:10]),
        "open_module_count": open_modules.count(),
    }


def manager_home_context(user) -> dict:
    """This year's and last year's totals with the change, and a link to the report."""
    this_year = timezone.localdate().year
    totals = module_queries.yearly_totals(user=user, years=range(this_year - 1, this_year + 1))
    current, previous = totals[this_year], totals[this_year - 1]
    figures = []
    for name, label in (
        ("sessions", _("Held sessions")),
        ("modules", _("Modules")),
        ("participants", _("Participants")),
        ("participant_hours", _("Participant hours")),
    ):
        now, before = getattr(current, name), getattr(previous, name)
        change_pct = None
        if before:
            change_pct = (Decimal(now - before) * 100 / Decimal(before)).quantize(
                Decimal("1"), rounding=ROUND_HALF_UP
            )
        figures.append(
            {
                "name": name,
                "label": label,
                "this_year": now,
                "last_year": before,
                "change": now - before,
                "change_pct": change_pct,
            }
        )
    return {"this_year": this_year, "last_year": this_year - 1, "figures": figures}


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
