"""Reads for the partnerships app: what each user may see."""

from django.db.models import QuerySet

from .access import ADMIN, CASEWORKER, MANAGER, STAFF, membership_of, role_of, sees_all_offices
from .models import Office, PartnerOrganisation, Partnership


def offices_visible_to(user) -> QuerySet[Office]:
    if sees_all_offices(user):
        return Office.objects.all()
    membership = membership_of(user)
    if membership and membership.role in (STAFF, MANAGER) and membership.office_id:
        return Office.objects.filter(pk=membership.office_id)
    return Office.objects.none()


def partnerships_visible_to(user) -> QuerySet[Partnership]:
    """Staff and office managers: their office's agreements; caseworkers: their organisation's."""
    role = role_of(user)
    qs = Partnership.objects.all()
    if role == ADMIN or sees_all_offices(user):
        return qs
    membership = membership_of(user)
    if role in (STAFF, MANAGER):
        return qs.filter(office_id=membership.office_id)
    if role == CASEWORKER:
        return qs.filter(partnershippartner__organisation_id=membership.organisation_id)
    return qs.none()


def partner_organisations_visible_to(user) -> QuerySet[PartnerOrganisation]:
    """Partner organisations are shared by all offices; a caseworker sees only their own."""
    role = role_of(user)
    qs = PartnerOrganisation.objects.all()
    if role in (ADMIN, STAFF, MANAGER):
        return qs
    if role == CASEWORKER:
        return qs.filter(pk=membership_of(user).organisation_id)
    return qs.none()
