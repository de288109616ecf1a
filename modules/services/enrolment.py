"""Enrolment (caseworkers): enrol, withdraw, waitlist order and promotion.

Every write here locks the module row first; see `enrol`."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from partnerships.access import (
    ADMIN,
    CASEWORKER,
    MANAGER,
    STAFF,
    office_id_of,
    organisation_id_of,
    role_of,
)

from .. import lifecycle
from ..models import Enrolment, MailKind, Module, Participant
from ..queries import (
    caseworker_emails_for,
    clients_by_caseworker_email,
    taken_places,
)
from .errors import DomainError
from .mail import queue_mail
from .rollup import refresh_enrolments

NO_CONSENT = _(
    "This client withdrew their consent: they cannot be enrolled. Record a new consent on the "
    "client's page first."
)

# An enrolment's outcome, fixed when the module was closed.
CLOSED_ENROLMENT_STATUSES = (
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
    Enrolment.Status.NO_SHOW,
)


def _check_acts_for(participant: Participant, by) -> None:
    """Caseworkers act only for their own organisation's clients; managers never act."""
    role = role_of(by)
    if role == MANAGER or role is None:
        raise DomainError(_("You may not enrol or withdraw clients."))
    if role == CASEWORKER and participant.organisation_id != organisation_id_of(by):
        raise DomainError(_("This client belongs to another organisation."))


def _check_accepts_enrolments(module: Module, by) -> None:
    if blocker := lifecycle.closed_blocker(module):
        raise DomainError(blocker)
    if not module.accepts_enrolments:
        raise DomainError(_("Enrolment for this module is closed."))
    if (
        role_of(by) == CASEWORKER
        and not module.partnership.partners.filter(pk=organisation_id_of(by)).exists()
    ):
        raise DomainError(_("This module is not open to your organisation."))


def enrol(*, participant: Participant, module: Module, by) -> Enrolment:
    """Enrol a client: `enrolled` if a place is free and nobody waits, else `waitlisted` at the
    end of the queue. Re-enrolling after a withdrawal reuses the withdrawn enrolment."""
    with transaction.atomic():
        # Lock the module row before counting its places: every enrolment and withdrawal in
        # this module queues here, so two caseworkers can never both take the last place, and
        # two waitlisted clients never get the same position.
        module = Module.objects.select_for_update().get(pk=module.pk)
        participant = Participant.objects.get(pk=participant.pk)
        _check_acts_for(participant, by)
        if participant.anonymised_at is not None:
            raise DomainError(_("This client's data has been anonymised."))
        if participant.consent_withdrawn_on is not None:
            raise DomainError(NO_CONSENT, code="no_consent")
        _check_accepts_enrolments(module, by)
        existing = Enrolment.objects.filter(participant=participant, module=module).first()
        if existing is not None and existing.status != Enrolment.Status.WITHDRAWN:
            raise DomainError(
                _("This client is already enrolled in this module (%(status)s).")
                % {"status": existing.get_status_display()}
            )
        waiting = Enrolment.objects.filter(module=module, status=Enrolment.Status.WAITLISTED)
        last_position = waiting.aggregate(last=Max("waitlist_position"))["last"]
        # No queue jumping: a free place goes to the waiting list first, not to a newcomer.
        if last_position is None and taken_places(module.pk) < module.capacity:
            status, position = Enrolment.Status.ENROLLED, None
        else:
            status, position = Enrolment.Status.WAITLISTED, (last_position or 0) + 1
        enrolment = existing or Enrolment(participant=participant, module=module)
        enrolment.status = status
        enrolment.waitlist_position = position
        enrolment.enrolled_by = by
        enrolment.enrolled_at = timezone.now()
        enrolment.withdrawn_at = None
        enrolment.withdrawal_reason = ""
        enrolment.completed_at = None
        enrolment.save()
        refresh_enrolments([module.pk])  # the report's counts, in this transaction
        _mail_enrolment(enrolment)
        return enrolment


def _mail_enrolment(enrolment: Enrolment) -> None:
    """Tell the client's caseworker(s) the outcome: enrolled, or waitlisted at a position."""
    if enrolment.status == Enrolment.Status.WAITLISTED:
        subject = _("On the waiting list of %(module)s")
        body = _(
            "Your client %(client)s is on the waiting list of the module “%(module)s”, "
            "at position %(position)s. You get a mail when a place becomes free."
            "\n\nPartnerwerk"
        )
    else:
        subject = _("Enrolled in %(module)s")
        body = _("Your client %(client)s is enrolled in the module “%(module)s”.\n\nPartnerwerk")
    _mail_caseworker(
        enrolment, subject, body, kind=MailKind.ENROLMENT, position=enrolment.waitlist_position
    )


def _renumber_waitlist(module: Module) -> None:
    """Close the gaps in a module's waiting list: positions become 1..n in queue order.

    Positions only ever move down, and we go in ascending order, so each new position is
    already free: the partial unique index on (module, position) never sees a duplicate.
    """
    waiting = Enrolment.objects.filter(module=module, status=Enrolment.Status.WAITLISTED)
    waiting = waiting.order_by("waitlist_position", "enrolled_at", "pk")
    for number, enrolment in enumerate(waiting, start=1):
        if enrolment.waitlist_position != number:
            enrolment.waitlist_position = number
            enrolment.save(update_fields=["waitlist_position", "status_changed_at"])


def _promote_waitlisted(module: Module) -> list[Enrolment]:
    """Give free places to the waiting list in order. Call with the module row locked."""
    promoted = []
    free = module.capacity - taken_places(module.pk)
    if free <= 0:
        return promoted
    waiting = Enrolment.objects.filter(module=module, status=Enrolment.Status.WAITLISTED)
    first = waiting.select_related("participant", "module").order_by(
        "waitlist_position", "enrolled_at", "pk"
    )[:free]
    for enrolment in first:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.waitlist_position = None
        enrolment.save(update_fields=["status", "waitlist_position", "status_changed_at"])
        promoted.append(enrolment)
    return promoted


def _mail_promotions(module: Module, promoted: list[Enrolment], *, place_freed: bool) -> None:
    """Tell each caseworker which of their own clients moved up into a place (names only).

    "First on the waiting list" is said only when one withdrawal freed one place; a capacity
    increase that promotes several says that more places became available."""
    if not promoted:
        return
    enrolments = Enrolment.objects.filter(pk__in=[e.pk for e in promoted])
    with translation.override(settings.LANGUAGE_CODE):
        if place_freed and len(promoted) == 1:
            subject = _("A place became free in %(module)s") % {"module": module.title}
            body = _(
                "A place became free in the module “%(module)s”. Your client %(client)s was first "
                "on the waiting list and is now enrolled.\n\nPartnerwerk"
            ) % {"module": module.title, "client": promoted[0].participant}
            for email in clients_by_caseworker_email(enrolments, kind=MailKind.PROMOTION):
                queue_mail(to=email, subject=subject, body=body)
            return
        subject = _("More places in %(module)s") % {"module": module.title}
        for email, names in clients_by_caseworker_email(
            enrolments, kind=MailKind.PROMOTION
        ).items():
            body = _(
                "More places became available in the module “%(module)s”. These clients of yours "
                "moved up from the waiting list and are now enrolled:\n%(names)s\n\nPartnerwerk"
            ) % {"module": module.title, "names": "\n".join(f"- {name}" for name in names)}
            queue_mail(to=email, subject=subject, body=body)


def withdraw(*, enrolment: Enrolment, by, reason: str = "") -> Enrolment:
    """Withdraw a client; a freed place goes at once to the first on the waiting list, whose
    caseworker gets a mail (queued in this transaction). The waiting list is renumbered 1..n."""
    with transaction.atomic():
        # Same lock as `enrol`: counting places and promoting must not interleave with
        # another enrolment or withdrawal in this module.
        module = Module.objects.select_for_update().get(pk=enrolment.module_id)
        enrolment = Enrolment.objects.select_related("participant").get(pk=enrolment.pk)
        _check_acts_for(enrolment.participant, by)
        if enrolment.status == Enrolment.Status.WITHDRAWN:
            raise DomainError(_("This client has already been withdrawn from this module."))
        if enrolment.status in CLOSED_ENROLMENT_STATUSES:
            raise DomainError(_("A completed module cannot be withdrawn from."))
        staff_request = role_of(by) in (STAFF, ADMIN)
        if staff_request:
            # Staff withdraw a client only on the caseworker's request, and say why.
            _check_staff_module(module, by)
            if not reason.strip():
                raise DomainError(_("Give the reason the caseworker gave for the withdrawal."))
        _record_change(enrolment, by, reason)
        enrolment.status = Enrolment.Status.WITHDRAWN
        enrolment.waitlist_position = None
        enrolment.withdrawn_at = timezone.now()
        enrolment.withdrawal_reason = reason.strip()[:300]
        enrolment.save()
        promoted = _promote_waitlisted(module)
        _renumber_waitlist(module)
        refresh_enrolments([module.pk])  # the report's counts, in this transaction
        _mail_promotions(module, promoted, place_freed=True)
        if staff_request:
            _mail_caseworker(
                enrolment,
                _("%(client)s is withdrawn from %(module)s"),
                _(
                    "Agency staff withdrew your client %(client)s from the module “%(module)s” "
                    "at your request.\n\nReason: %(reason)s\n\nPartnerwerk"
                ),
                kind=MailKind.WAITLIST,
                reason=enrolment.withdrawal_reason,
            )
        return enrolment


def fill_free_places(*, module: Module) -> list[Enrolment]:
    """Promote waitlisted clients into free places, in order (e.g. after the capacity grew);
    their caseworkers get a mail (queued in this transaction). Returns the promoted ones."""
    with transaction.atomic():
        module = Module.objects.select_for_update().get(pk=module.pk)  # as in `enrol`
        promoted = _promote_waitlisted(module)
        _renumber_waitlist(module)
        if promoted:
            refresh_enrolments([module.pk])  # the report's counts, in this transaction
        _mail_promotions(module, promoted, place_freed=False)
        return promoted


# --- the waiting list, managed by agency staff ---------------------------------------------


def _check_staff_module(module: Module, by) -> None:
    """Staff manage the enrolments of their own office's modules only (administrators: all)."""
    role = role_of(by)
    if role == ADMIN:
        return
    if role != STAFF or module.partnership.office_id != office_id_of(by):
        raise DomainError(_("Only the agency staff of this module's office can do this."))


def _record_change(enrolment: Enrolment, by, reason: str) -> None:
    """Who made the next saved change of `enrolment` and why, for its history."""
    enrolment._history_user = by
    enrolment._change_reason = (reason or "").strip()[:100] or None


def _mail_caseworker(enrolment: Enrolment, subject, body, *, kind: str, **values) -> None:
    """Queue a mail of this `kind` (MailKind) about one enrolment to the client's
    caseworker(s), through the one recipient rule (`caseworker_emails_for`); the client's
    name and the module only."""
    participant = enrolment.participant
    with translation.override(settings.LANGUAGE_CODE):
        values = {"module": enrolment.module.title, "client": participant, **values}
        subject, body = str(subject) % values, str(body) % values
    for email in caseworker_emails_for([participant], kind=kind)[participant.pk]:
        queue_mail(to=email, subject=subject, body=body)


def _lock_waitlisted(enrolment: Enrolment, by) -> tuple[Module, Enrolment]:
    # The module's lock, as in `enrol` and `withdraw`: the queue does not change under us.
    module = (
        Module.objects.select_for_update().select_related("partnership").get(pk=enrolment.module_id)
    )
    _check_staff_module(module, by)
    if blocker := lifecycle.closed_blocker(module):
        raise DomainError(blocker)
    enrolment = Enrolment.objects.select_related("participant", "module").get(pk=enrolment.pk)
    if enrolment.status != Enrolment.Status.WAITLISTED:
        raise DomainError(_("This client is not on the waiting list."))
    return module, enrolment


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."))
    return reason[:300]


def move_on_waitlist(*, enrolment: Enrolment, up: bool, by, reason: str) -> Enrolment:
    """Swap a waitlisted client with the one just before (`up`) or after them, with a reason
    kept in the history; the client's caseworker gets a mail with the new position."""
    reason = _require_reason(reason)
    with transaction.atomic():
        module, enrolment = _lock_waitlisted(enrolment, by)
        _renumber_waitlist(module)
        enrolment.refresh_from_db(fields=["waitlist_position"])
        position = enrolment.waitlist_position
        target = position - 1 if up else position + 1
        other = Enrolment.objects.filter(
            module=module, status=Enrolment.Status.WAITLISTED, waitlist_position=target
        ).first()
        if other is None:
            raise DomainError(
                _("This client is already first on the waiting list.")
                if up
                else _("This client is already last on the waiting list.")
            )
        # The unique (module, position) index forbids a direct swap: park this one past the
        # end first (a plain update: the parking step is no change worth a history row).
        parked = (
            Enrolment.objects.filter(module=module, status=Enrolment.Status.WAITLISTED).aggregate(
                last=Max("waitlist_position")
            )["last"]
            + 1
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(waitlist_position=parked)
        _record_change(other, by, reason)
        other.waitlist_position = position
        other.save(update_fields=["waitlist_position", "status_changed_at"])
        _record_change(enrolment, by, reason)
        enrolment.waitlist_position = target
        enrolment.save(update_fields=["waitlist_position", "status_changed_at"])
        _mail_caseworker(
            enrolment,
            _("Waiting list of %(module)s: %(client)s is now number %(position)d"),
            _(
                "Agency staff moved your client %(client)s on the waiting list of the module "
                "“%(module)s”: now number %(position)d.\n\nReason: %(reason)s\n\nPartnerwerk"
            ),
            kind=MailKind.WAITLIST,
            position=target,
            reason=reason,
        )
        return enrolment


def enrol_from_waitlist(*, enrolment: Enrolment, by, reason: str) -> Enrolment:
    """Staff give a free place to this waitlisted client (whatever their position), with a
    reason; the waiting list closes ranks and the client's caseworker gets a mail."""
    reason = _require_reason(reason)
    with transaction.atomic():
        module, enrolment = _lock_waitlisted(enrolment, by)
        if taken_places(module.pk) >= module.capacity:
            raise DomainError(_("The module has no free place."))
        _record_change(enrolment, by, reason)
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.waitlist_position = None
        enrolment.save(update_fields=["status", "waitlist_position", "status_changed_at"])
        _renumber_waitlist(module)
        refresh_enrolments([module.pk])  # the report's counts, in this transaction
        _mail_caseworker(
            enrolment,
            _("%(client)s is enrolled in %(module)s"),
            _(
                "Agency staff gave your client %(client)s a free place in the module "
                "“%(module)s”: the client is now enrolled.\n\nPartnerwerk"
            ),
            kind=MailKind.WAITLIST,
        )
        return enrolment
