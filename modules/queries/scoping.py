"""Scoping: one function per model that returns what a user may see.

A caseworker sees only their own organisation's clients; agency staff see the clients
enrolled in their office's modules; managers see counts, never personal data."""

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from partnerships.access import (
    ADMIN,
    CASEWORKER,
    MANAGER,
    STAFF,
    membership_of,
    role_of,
    sees_all_offices,
)
from partnerships.queries import partnerships_visible_to

from ..models import (
    Enrolment,
    Evaluation,
    Module,
    OfferRequest,
    Participant,
    Session,
)

# The one definition of "a place is taken": capacity counts enrolled and completed clients.
# (Waitlisted, withdrawn and no-show enrolments do not hold a place for new enrolments.)
# Staff screens, caseworker screens and the enrol service all use it.
TAKEN_PLACE_STATUSES = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)


def modules_visible_to(user) -> QuerySet[Module]:
    """Modules under the agreements the user may see (caseworkers: their organisation's)."""
    return Module.objects.filter(partnership__in=partnerships_visible_to(user))


def sessions_visible_to(user) -> QuerySet[Session]:
    return Session.objects.filter(module__in=modules_visible_to(user))


def participants_visible_to(user) -> QuerySet[Participant]:
    """Caseworker: own organisation's clients. Staff: clients enrolled in their office's modules.

    Managers never see personal data.
    """
    role = role_of(user)
    membership = membership_of(user)
    if role == ADMIN:
        return Participant.objects.all()
    if role == CASEWORKER:
        return Participant.objects.filter(organisation_id=membership.organisation_id)
    if role == STAFF:
        in_office = Enrolment.objects.filter(
            participant=OuterRef("pk"), module__partnership__office_id=membership.office_id
        )
        return Participant.objects.filter(Exists(in_office))
    return Participant.objects.none()


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    role = role_of(user)
    membership = membership_of(user)
    if role == ADMIN:
        return Enrolment.objects.all()
    if role == CASEWORKER:
        return Enrolment.objects.filter(participant__organisation_id=membership.organisation_id)
    if role == STAFF:
        return Enrolment.objects.filter(module__partnership__office_id=membership.office_id)
    return Enrolment.objects.none()


def offer_requests_visible_to(user) -> QuerySet[OfferRequest]:
    role = role_of(user)
    membership = membership_of(user)
    if role == ADMIN or sees_all_offices(user):
        return OfferRequest.objects.all()
    if role in (STAFF, MANAGER):
        return OfferRequest.objects.filter(office_id=membership.office_id)
    if role == CASEWORKER:
        return OfferRequest.objects.filter(partner_id=membership.organisation_id)
    return OfferRequest.objects.none()


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    partnerships = partnerships_visible_to(user)
    return Evaluation.objects.filter(
        Q(partnership__in=partnerships) | Q(module__partnership__in=partnerships)
    )
