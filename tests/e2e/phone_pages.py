"""The pages each role reaches, on the demo data (seed_demo): the GET pages of the access
matrix (tests/security/test_access_matrix.py) with real objects, for the layout tests."""

from modules.models import Enrolment, Module, OfferRequest, Session
from modules.queries import (
    enrolments_visible_to,
    modules_visible_to,
    open_modules_for,
    participants_visible_to,
)
from partnerships.models import User
from partnerships.queries import partnerships_visible_to

BREAKDOWNS = ("partner_kind", "office", "partner", "theme", "offer_type", "language")
OWN_ACCOUNT = ["/account/", "/account/two-factor/", "/accounts/password_change/"]


def _first(queryset):
    return queryset.order_by("pk").first()


def staff_pages(username: str = "staff") -> list[str]:
    user = User.objects.get(username=username)
    modules = modules_visible_to(user)
    partnership = _first(partnerships_visible_to(user).filter(modules__isnull=False).distinct())
    module = _first(modules.filter(status=Module.Status.OPEN))
    planned = _first(Session.objects.filter(module__in=modules, status=Session.Status.PLANNED))
    held = _first(Session.objects.filter(module__in=modules, status=Session.Status.HELD))
    completed = _first(
        Enrolment.objects.filter(module__in=modules, status=Enrolment.Status.COMPLETED)
    )
    requests = OfferRequest.objects.filter(
        office__in=partnerships_visible_to(user).values("office")
    )
    offer_request = _first(requests)
    participant = _first(participants_visible_to(user))
    urls = [
        "/",
        "/partners/",
        f"/partners/{partnership.lead_partner_id}/",
        "/partners/add/",
        f"/partners/{partnership.lead_partner_id}/edit/",
        "/agreements/",
        f"/agreements/{partnership.pk}/",
        "/agreements/add/",
        f"/agreements/{partnership.pk}/edit/",
        f"/agreements/{partnership.pk}/delete/",
        f"/agreements/{partnership.pk}/document/",
        "/modules/",
        "/modules/new/",
        f"/modules/{module.pk}/",
        f"/modules/{module.pk}/edit/",
        f"/modules/{module.pk}/cancel/",
        f"/modules/{module.pk}/close/",
        f"/modules/{module.pk}/sessions/new/",
        f"/modules/{module.pk}/sessions/series/",
        f"/modules/{module.pk}/sheet/",
        f"/sessions/{planned.pk}/edit/",
        f"/sessions/{planned.pk}/move/",
        f"/sessions/{planned.pk}/cancel/",
        f"/sessions/{held.pk}/attendance/",
        f"/sessions/{held.pk}/sheet/",
        "/requests/",
        "/requests/new/",
        "/evaluations/",
        f"/evaluations/new/agreement/{partnership.pk}/",
        f"/evaluations/new/module/{module.pk}/",
        "/clients/",
        *OWN_ACCOUNT,
    ]
    if completed:
        urls.append(f"/enrolments/{completed.pk}/certificate/")
    if offer_request:
        urls.append(f"/requests/{offer_request.pk}/")
    if participant:
        urls.append(f"/clients/{participant.pk}/")
    urls += [f"/reports/yearly/?breakdown={b}" for b in BREAKDOWNS]
    return urls


def caseworker_pages(username: str = "caseworker") -> list[str]:
    user = User.objects.get(username=username)
    participants = participants_visible_to(user).filter(anonymised_at__isnull=True)
    participant = _first(participants.filter(enrolments__status=Enrolment.Status.ENROLLED))
    enrolment = _first(enrolments_visible_to(user).filter(status=Enrolment.Status.ENROLLED))
    module = _first(open_modules_for(user))
    return [
        "/",
        "/clients/",
        "/clients/new/",
        "/clients/import/",
        f"/clients/{participant.pk}/",
        f"/clients/{participant.pk}/edit/",
        f"/clients/{participant.pk}/enrol/",
        "/open-modules/",
        f"/open-modules/{module.pk}/",
        f"/enrolments/{enrolment.pk}/withdraw/",
        *OWN_ACCOUNT,
    ]


def manager_pages(username: str = "manager") -> list[str]:
    return [
        "/",
        *[f"/reports/yearly/?breakdown={b}" for b in BREAKDOWNS],
        "/reports/yearly/?breakdown=partner&view=full",
        *OWN_ACCOUNT,
    ]


def admin_pages(username: str = "admin") -> list[str]:
    return [
        "/",
        "/partners/",
        "/agreements/",
        "/modules/",
        "/requests/",
        "/evaluations/",
        "/clients/",
        "/reports/yearly/?breakdown=office",
    ]


PUBLIC_PAGES = ["/accounts/login/", "/accounts/password_reset/", "/api/docs/"]


def pages_for(username: str) -> list[str]:
    return {
        "staff": staff_pages,
        "caseworker": caseworker_pages,
        "manager": manager_pages,
        "admin": admin_pages,
    }[username](username)
