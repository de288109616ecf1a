"""Writes for the partnerships app: each function validates, changes state in a transaction,
and returns the result or raises `DomainError` with a translated message."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from .models import (
    END_BEFORE_START_DATE,
    MAX_AGREEMENT_SIZE,
    PLAN_YEAR_TAKEN,
    ContactPerson,
    PartnerOrganisation,
    Partnership,
    PartnershipPartner,
    PlanTarget,
    ends_on_or_after_start,
)

CONTACT_FIELDS = ("name", "function", "email", "phone", "is_active")


class DomainError(ValidationError):
    """A business rule refused the action; the message is for the user, in their language.

    Both apps use this class (modules re-exports it from `modules.services`).
    """


# --- partner organisations -------------------------------------------------------------


@transaction.atomic
def save_partner_organisation(
    *, organisation: PartnerOrganisation, contacts: Iterable[Mapping[str, Any]] = ()
) -> PartnerOrganisation:
    """Save a partner organisation (new or changed) and its contact persons together.

    `contacts`: one mapping of CONTACT_FIELDS per contact, with "pk" for an existing one (of
    this organisation) or without for a new one. Contacts not mentioned stay as they are."""
    organisation.save()
    existing = {c.pk: c for c in ContactPerson.objects.filter(organisation=organisation)}
    for values in contacts:
        pk = values.get("pk")
        if pk is not None and pk not in existing:
            raise DomainError(_("This contact person works at another organisation."))
        contact = existing.get(pk) or ContactPerson(organisation=organisation)
        for name in CONTACT_FIELDS:
            if name in values:
                setattr(contact, name, values[name])
        contact.save()
    return organisation


@transaction.atomic
def set_partner_active(*, organisation: PartnerOrganisation, active: bool) -> PartnerOrganisation:
    """Deactivate instead of delete: a partner with history stays, hidden from new work."""
    organisation.is_active = active
    organisation.save(update_fields=["is_active", "updated_at"])
    return organisation


# --- cooperation agreements -----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What an agreement plans to realise in one year."""

    year: int
    modules: int = 0
    sessions: int = 0
    participants: int = 0


@transaction.atomic
def save_partnership(
    *,
    partnership: Partnership,
    partners: Iterable[PartnerOrganisation],
    plans: Iterable[Plan] | None = None,
) -> Partnership:
    """Save an agreement with its partners (through rows) and plan targets, all or nothing.

    `partnership` carries its office and lead partner; the lead is added to `partners`.
    `plans` (when given) are all the agreement's plan targets: years not in it are deleted.
    Every plan year, and every year already planned, lies within the agreement's period.
    """
    partner_ids = {organisation.pk for organisation in partners}
    # The lead partner is always one of the partners: added here, whatever was chosen.
    if partnership.lead_partner_id is not None:
        partner_ids.add(partnership.lead_partner_id)
    if not partner_ids:
        raise DomainError(_("Choose at least one partner organisation."), code="no_partners")
    if not ends_on_or_after_start(partnership.start_date, partnership.end_date):
        raise DomainError(str(END_BEFORE_START_DATE), code="end_before")
    plans = list(plans) if plans is not None else None
    if plans is not None and len({plan.year for plan in plans}) != len(plans):
        raise DomainError(str(PLAN_YEAR_TAKEN), code="year_twice")
    # Shortening the dates past the years already planned is refused too, with the years.
    kept = (
        {plan.year for plan in plans}
        if plans is not None
        else set(
            PlanTarget.objects.filter(partnership_id=partnership.pk).values_list("year", flat=True)
        )
        if partnership.pk
        else set()
    )
    if error := partnership.plan_years_error(kept):
        raise DomainError(error, code="plan_outside_agreement")
    partnership.save()
    current = set(
        PartnershipPartner.objects.filter(partnership=partnership).values_list(
            "organisation_id", flat=True
        )
    )
    PartnershipPartner.objects.filter(
        partnership=partnership, organisation_id__in=current - partner_ids
    ).delete()
    PartnershipPartner.objects.bulk_create(
        PartnershipPartner(partnership=partnership, organisation_id=organisation_id)
        for organisation_id in sorted(partner_ids - current)
    )
    if plans is not None:
        _replace_plans(partnership, plans)
    return partnership


def _replace_plans(partnership: Partnership, plans: list[Plan]) -> None:
    current = {t.year: t for t in PlanTarget.objects.filter(partnership=partnership)}
    PlanTarget.objects.filter(
        partnership=partnership, year__in=set(current) - {p.year for p in plans}
    ).delete()
    for plan in plans:
        target = current.get(plan.year) or PlanTarget(partnership=partnership, year=plan.year)
        target.planned_modules = plan.modules
        target.planned_sessions = plan.sessions
        target.planned_participants = plan.participants
        target.save()


PDF_MAGIC = b"%PDF-"


def check_agreement_document(document: UploadedFile) -> None:
    """Refuse anything but a PDF (by extension and by content) of at most 10 MB."""
    if not document.name.lower().endswith(".pdf"):
        raise DomainError(
            _("Agreement document: only PDF files (.pdf) are accepted."), code="not_pdf"
        )
    if document.size > MAX_AGREEMENT_SIZE:
        raise DomainError(
            _("Agreement document: the file is larger than 10 MB."), code="file_too_large"
        )
    document.seek(0)
    head = document.read(len(PDF_MAGIC))
    document.seek(0)
    if head != PDF_MAGIC:
        raise DomainError(_("Agreement document: this file is not a PDF document."), code="not_pdf")


@transaction.atomic
def attach_agreement_document(*, partnership: Partnership, document: UploadedFile) -> Partnership:
    """Store the signed agreement under MEDIA_ROOT (never served by URL; see the download view).

    The previous file is kept on disk: the change history still refers to it.
    """
    check_agreement_document(document)
    partnership.document.save(f"agreement-{partnership.pk}.pdf", document, save=False)
    partnership.save(update_fields=["document", "updated_at"])
    return partnership


@transaction.atomic
def delete_partnership(*, partnership: Partnership) -> None:
    """Delete an agreement without history; one with modules or evaluations is refused."""
    try:
        partnership.delete()
    except ProtectedError:
        raise DomainError(
            _(
                "This agreement has modules or evaluations and cannot be deleted. "
                "Set its status to ended or cancelled instead."
            ),
            code="has_history",
        ) from None
