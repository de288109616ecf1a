"""Offer requests and evaluations (staff)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import ContactPerson, Office, PartnerOrganisation, Partnership

from ..models import Evaluation, Module, OfferRequest, Theme
from .errors import DomainError
from .planning import save_module

_OPEN_REQUEST = (OfferRequest.Status.NEW, OfferRequest.Status.UNDER_REVIEW)


@transaction.atomic
def create_offer_request(
    *,
    office: Office,
    partner: PartnerOrganisation,
    title: str,
    created_by,
    contact: ContactPerson | None = None,
    themes: Iterable[Theme] = (),
    target_group: str = "",
    expected_participants: int | None = None,
    language: str = "nl",
    description: str = "",
    received_on: datetime.date | None = None,
) -> OfferRequest:
    """Record a partner's request for an offer, handled by `office` (staff enter it for them)."""
    if contact is not None and contact.organisation_id != partner.pk:
        raise DomainError({"contact": _("The contact person must work at the requesting partner.")})
    offer_request = OfferRequest.objects.create(
        office=office,
        partner=partner,
        contact=contact,
        title=title,
        target_group=target_group,
        expected_participants=expected_participants,
        language=language,
        description=description,
        received_on=received_on or timezone.localdate(),
        created_by=created_by,
    )
    offer_request.themes.set(themes)
    return offer_request


def _lock_open_request(offer_request: OfferRequest) -> OfferRequest:
    # Re-read under a row lock so that two staff members cannot handle the same request twice.
    locked = OfferRequest.objects.select_for_update().get(pk=offer_request.pk)
    if locked.status not in _OPEN_REQUEST:
        raise DomainError(
            _("This request is already %(status)s; it cannot be handled again.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def review_offer_request(*, offer_request: OfferRequest) -> OfferRequest:
    """new → under review."""
    locked = _lock_open_request(offer_request)
    if locked.status != OfferRequest.Status.NEW:
        raise DomainError(_("Only a new request can be taken under review."))
    locked.status = OfferRequest.Status.UNDER_REVIEW
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def plan_offer_request(
    *,
    offer_request: OfferRequest,
    partnership: Partnership | None = None,
    module: Module | None = None,
) -> OfferRequest:
    """new/under review → planned, linked to the office's agreement and/or module answering it."""
    locked = _lock_open_request(offer_request)
    if partnership is None and module is None:
        raise DomainError(
            _("Choose the agreement or the module that answers this request."), code="no_link"
        )
    if module is not None:
        if partnership is not None and module.partnership_id != partnership.pk:
            raise DomainError(
                {"planned_module": _("This module does not belong to the chosen agreement.")}
            )
        partnership = partnership or module.partnership
    if partnership.office_id != locked.office_id:
        raise DomainError(_("The agreement must belong to the office handling the request."))
    locked.status = OfferRequest.Status.PLANNED
    locked.planned_partnership = partnership
    locked.planned_module = module
    locked.decline_reason = ""
    locked.save(update_fields=["status", "planned_partnership", "planned_module", "decline_reason"])
    return locked


def plan_module_for_request(
    *, offer_request: OfferRequest, module: Module, themes, objectives, by
) -> Module:
    """Create the module that answers a request and mark the request planned, linked to it:
    both or neither (a request handled meanwhile, or an agreement of another office, refuses
    the lot and no module is left behind)."""
    with transaction.atomic():
        _lock_open_request(offer_request)  # refuse before creating anything
        module = save_module(module=module, themes=themes, objectives=objectives, by=by)
        plan_offer_request(offer_request=offer_request, module=module)
    return module


@transaction.atomic
def decline_offer_request(*, offer_request: OfferRequest, reason: str) -> OfferRequest:
    """new/under review → declined; the reason is required (and kept for the partner)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"decline_reason": _("A declined request needs a reason.")})
    locked = _lock_open_request(offer_request)
    locked.status = OfferRequest.Status.DECLINED
    locked.decline_reason = reason
    locked.save(update_fields=["status", "decline_reason"])
    return locked


@transaction.atomic
def add_evaluation(
    *,
    partnership: Partnership | None = None,
    module: Module | None = None,
    date: datetime.date,
    source: str,
    rating: int,
    findings: str,
    recommendations: str = "",
    by=None,
) -> Evaluation:
    """Record an evaluation of exactly one agreement or one module."""
    if (partnership is None) == (module is None):
        raise DomainError(_("An evaluation is about either an agreement or a module."))
    if not 1 <= rating <= 5:
        raise DomainError({"rating": _("The rating lies between 1 and 5.")})
    if not findings.strip():
        raise DomainError({"findings": _("Write down the findings.")})
    return Evaluation.objects.create(
        partnership=partnership,
        module=module,
        date=date,
        source=source,
        rating=rating,
        findings=findings,
        recommendations=recommendations,
        created_by=by,
    )
