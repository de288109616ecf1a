"""Reads for offer requests, evaluations and the staff home page."""

import datetime as _dt

from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
)

from partnerships.models import ContactPerson as _ContactPerson
from partnerships.models import Partnership as _Partnership
from partnerships.models import PartnershipPartner as _PartnershipPartner
from partnerships.queries import (
    chosen_id,
    contact_choices,
    partnerships_visible_to,
    requestable_contacts,
    text_choices,
)

from ..models import (
    Evaluation,
    Module,
    OfferRequest,
    Session,
)
from .scoping import (
    enrollable_modules,
    evaluations_visible_to,
    modules_visible_to,
    offer_requests_visible_to,
    sessions_visible_to,
    with_places,
)


def offer_request_list(user) -> QuerySet[OfferRequest]:
    """Offer requests for the list page: partner and themes fetched in fixed queries."""
    return (
        offer_requests_visible_to(user)
        .select_related("partner", "office")
        .prefetch_related("themes")
    )


def offer_request_detail(user) -> QuerySet[OfferRequest]:
    return offer_request_list(user).select_related(
        "contact", "planned_partnership", "planned_module", "created_by"
    )


def offer_requests_open(user) -> QuerySet[OfferRequest]:
    """New and under-review requests, oldest first (they have waited longest)."""
    return (
        offer_requests_visible_to(user)
        .filter(status__in=(OfferRequest.Status.NEW, OfferRequest.Status.UNDER_REVIEW))
        .select_related("partner")
        .order_by("received_on", "pk")
    )


def plannable_partnerships(user) -> QuerySet[_Partnership]:
    """Agreements a request can be planned under: the office's draft and active ones."""
    return partnerships_visible_to(user).filter(
        status__in=(_Partnership.Status.DRAFT, _Partnership.Status.ACTIVE)
    )


def current_agreement_for_request(user, offer_request: OfferRequest) -> _Partnership | None:
    """The agreement a module for this request most likely falls under: the user's office's
    active (else draft) agreement with the requesting partner, the most recent first."""
    return (
        plannable_partnerships(user)
        .filter(partners=offer_request.partner_id, office_id=offer_request.office_id)
        .order_by("status", "-start_date", "-pk")  # "active" sorts before "draft"
        .first()
    )


def plannable_modules(user) -> QuerySet[Module]:
    return (
        modules_visible_to(user)
        .exclude(status=Module.Status.CANCELLED)
        .select_related("partnership")
        .order_by("title", "pk")
    )


def module_partnerships(user) -> QuerySet[_Partnership]:
    """Agreements a module can be put under: the user's, except cancelled ones."""
    return partnerships_visible_to(user).exclude(status=_Partnership.Status.CANCELLED)


def facilitator_contacts(user, partnership_id: int | None = None) -> QuerySet[_ContactPerson]:
    """Contacts that can facilitate a module: active contacts of a partner of one of the
    agreements a module can be under (`partnership_id`: of that agreement's partners only).
    The rule itself (a contact of the module's agreement's partners) is
    `Module.facilitator_error`."""
    agreements = module_partnerships(user)
    if partnership_id is not None:
        agreements = agreements.filter(pk=partnership_id)
    in_agreement = _PartnershipPartner.objects.filter(
        organisation=OuterRef("organisation"), partnership__in=agreements
    )
    return (
        _ContactPerson.objects.filter(Exists(in_agreement), is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def facilitator_choices(user, partnership: str) -> list[dict]:
    """The module form's facilitators under the chosen agreement (none for another's)."""
    partnership_id = chosen_id(partnership)
    if partnership_id is None:
        return []
    return contact_choices(facilitator_contacts(user, partnership_id))


def request_contact_choices(user, partner: str) -> list[dict]:
    """The request form's contacts of the chosen partner (partners are shared by offices)."""
    partner_id = chosen_id(partner)
    if partner_id is None:
        return []
    return contact_choices(requestable_contacts(partner_id))


def plan_module_label(module: Module) -> str:
    """A module in the plan form's choice: its title and its agreement's."""
    return f"{module.title} ({module.partnership.title})"


# Search-as-you-type for the forms' long choices (issue 10: 3,000 agreements, 15,000
# modules at Flanders scale): each answers from its form field's own queryset, so that what
# is offered is what the form accepts.


def module_partnership_choices(user, text: str) -> list[dict]:
    return text_choices(module_partnerships(user).order_by("title", "pk"), text, "title")


def plan_partnership_choices(user, text: str) -> list[dict]:
    return text_choices(plannable_partnerships(user).order_by("title", "pk"), text, "title")


def plan_module_choices(user, text: str) -> list[dict]:
    return text_choices(plannable_modules(user), text, "title", plan_module_label)


def evaluation_list(user) -> QuerySet[Evaluation]:
    return evaluations_visible_to(user).select_related(
        "partnership", "module", "module__partnership", "created_by"
    )


def week_bounds(today: _dt.date) -> tuple[_dt.date, _dt.date]:
    """Monday and Sunday of the week `today` falls in."""
    monday = today - _dt.timedelta(days=today.weekday())
    return monday, monday + _dt.timedelta(days=6)


def sessions_in_week(user, *, today: _dt.date) -> QuerySet[Session]:
    """The office's sessions from Monday to Sunday of this week, with their module."""
    monday, sunday = week_bounds(today)
    return (
        sessions_visible_to(user)
        .filter(date__gte=monday, date__lte=sunday)
        .select_related("module")
        .order_by("date", "start_time", "pk")
    )


def modules_open_for_enrolment(user) -> QuerySet[Module]:
    """Modules accepting enrolments (the enrol service's rule), with their places."""
    return with_places(modules_visible_to(user) & enrollable_modules()).order_by("title", "pk")


def modules_without_teacher(user) -> QuerySet[Module]:
    """Modules still to run (not cancelled or completed) that have no MO teacher yet."""
    return (
        modules_visible_to(user)
        .filter(teacher="")
        .exclude(status__in=Module.FINAL_STATUSES)
        .select_related("partnership")
        .order_by("title", "pk")
    )
