"""Writes for the partnerships app: each function validates, changes state in a transaction,
and returns the result or raises `DomainError` with a translated message."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from .models import MAX_AGREEMENT_SIZE, PartnerOrganisation, Partnership, PartnershipPartner


class DomainError(ValidationError):
    """A business rule refused the action; the message is for the user, in their language.

    Both apps use this class (modules re-exports it from `modules.services`).
    """


# --- partner organisations -------------------------------------------------------------


@transaction.atomic
def save_partner_organisation(
    *, organisation: PartnerOrganisation, contacts: BaseInlineFormSet
) -> PartnerOrganisation:
    """Save a partner organisation (new or changed) and its contact persons together."""
    organisation.save()
    contacts.instance = organisation
    contacts.save()
    return organisation


@transaction.atomic
def set_partner_active(*, organisation: PartnerOrganisation, active: bool) -> PartnerOrganisation:
    """Deactivate instead of delete: a partner with history stays, hidden from new work."""
    organisation.is_active = active
    organisation.save(update_fields=["is_active", "updated_at"])
    return organisation


# --- cooperation agreements -----------------------------------------------------------


@transaction.atomic
def save_partnership(
    *,
    partnership: Partnership,
    partners: Iterable[PartnerOrganisation],
    plan_targets: BaseInlineFormSet | None = None,
) -> Partnership:
    """Save an agreement with its partners (through rows) and plan targets, all or nothing.

    `partnership` carries its office and lead partner; the lead must be one of `partners`.
    """
    partner_ids = {organisation.pk for organisation in partners}
    if not partner_ids:
        raise DomainError(_("Choose at least one partner organisation."), code="no_partners")
    if partnership.lead_partner_id not in partner_ids:
        raise DomainError(
            _("The lead partner must be one of the agreement's partners."),
            code="lead_not_partner",
        )
    if (
        partnership.start_date
        and partnership.end_date
        and partnership.end_date < partnership.start_date
    ):
        raise DomainError(_("The end date cannot be before the start date."), code="end_before")
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
    if plan_targets is not None:
        plan_targets.instance = partnership
        plan_targets.save()
    return partnership


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
