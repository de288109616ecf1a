"""Personal data: registering and editing clients, revealing the national register
number, the right-of-access export and anonymisation."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.access import CASEWORKER, MANAGER, organisation_id_of, role_of
from partnerships.validators import format_national_register_number

from ..models import NATIONAL_NUMBER_TAKEN, Enrolment, Participant, PersonalDataAccess
from ..queries import (
    participants_to_anonymise,
)
from .errors import DomainError

ANONYMISED_FIRST_NAME = "Geanonimiseerd"


def _check_may_see_personal_data(by) -> None:
    if role_of(by) in (MANAGER, None):
        raise DomainError(_("You may not see personal data."))


def _save_participant(participant: Participant) -> Participant:
    # The form checked the number is free; a simultaneous registration can still win the race,
    # and the unique index then refuses ours: say so instead of failing with a 500.
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as error:
        raise DomainError(NATIONAL_NUMBER_TAKEN) from error
    return participant


def register_participant(*, by, fields: dict[str, Any]) -> Participant:
    """Register a client of the caseworker's organisation; the caseworker records the consent."""
    organisation_id = organisation_id_of(by)
    if organisation_id is None:
        raise DomainError(_("Only a partner caseworker can register clients."))
    participant = Participant(
        **fields, organisation_id=organisation_id, caseworker=by, consent_recorded_by=by
    )
    return _save_participant(participant)


def update_participant(*, participant: Participant, by, fields: dict[str, Any]) -> Participant:
    """Change a client's data; a changed consent date is recorded as given to `by`."""
    if role_of(by) == CASEWORKER and participant.organisation_id != organisation_id_of(by):
        raise DomainError(_("This client belongs to another organisation."))
    if role_of(by) != CASEWORKER:
        raise DomainError(_("Only the client's caseworkers can change their data."))
    if participant.anonymised_at is not None:
        raise DomainError(_("This client's data has been anonymised."))
    stored_consent = Participant.objects.values_list("consent_date", flat=True).get(
        pk=participant.pk
    )
    for name, value in fields.items():
        setattr(participant, name, value)
    if participant.consent_date != stored_consent:
        participant.consent_recorded_by = by
    return _save_participant(participant)


def reveal_national_register_number(*, participant: Participant, by) -> str:
    """Return the full number, formatted, and record who saw it."""
    _check_may_see_personal_data(by)
    PersonalDataAccess.objects.create(
        participant=participant, user=by, action=PersonalDataAccess.Action.REVEAL_NATIONAL_NUMBER
    )
    return format_national_register_number(participant.national_register_number or "")


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def export_personal_data(*, participant: Participant, by) -> dict[str, Any]:
    """Everything stored about one client (right of access); the export itself is recorded."""
    _check_may_see_personal_data(by)
    PersonalDataAccess.objects.create(
        participant=participant, user=by, action=PersonalDataAccess.Action.EXPORT
    )
    participant = (
        Participant.objects.select_related("organisation", "caseworker", "consent_recorded_by")
        .prefetch_related("data_accesses__user")
        .get(pk=participant.pk)
    )
    enrolments = (
        Enrolment.objects.filter(participant=participant)
        .select_related("module__partnership__office", "enrolled_by")
        .prefetch_related("attendances__session")
        .order_by("enrolled_at", "pk")
    )
    return {
        "exported_at": timezone.now(),
        "exported_by": _person(by),
        "participant": {
            "id": participant.pk,
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "date_of_birth": participant.date_of_birth,
            "gender": participant.get_gender_display() if participant.gender else "",
            "nationality": participant.nationality,
            "languages": participant.languages,
            "phone": participant.phone,
            "email": participant.email,
            "national_register_number": format_national_register_number(
                participant.national_register_number or ""
            ),
            "referring_organisation": participant.organisation.name,
            "caseworker": _person(participant.caseworker),
            "consent_date": participant.consent_date,
            "consent_recorded_by": _person(participant.consent_recorded_by),
            "anonymised_at": participant.anonymised_at,
            "created_at": participant.created_at,
            "updated_at": participant.updated_at,
        },
        "enrolments": [
            {
                "id": enrolment.pk,
                "module": enrolment.module.title,
                "module_id": enrolment.module_id,
                "office": enrolment.module.partnership.office.name,
                "status": enrolment.status,
                "waitlist_position": enrolment.waitlist_position,
                "enrolled_by": _person(enrolment.enrolled_by),
                "enrolled_at": enrolment.enrolled_at,
                "status_changed_at": enrolment.status_changed_at,
                "withdrawn_at": enrolment.withdrawn_at,
                "withdrawal_reason": enrolment.withdrawal_reason,
                "completed_at": enrolment.completed_at,
                "attendance": [
                    {
                        "session_date": attendance.session.date,
                        "start_time": attendance.session.start_time,
                        "end_time": attendance.session.end_time,
                        "topic": attendance.session.topic,
                        "status": attendance.status,
                        "recorded_at": attendance.recorded_at,
                    }
                    for attendance in sorted(
                        enrolment.attendances.all(),
                        key=lambda a: (a.session.date, a.session.start_time),
                    )
                ],
            }
            for enrolment in enrolments
        ],
        "data_access_log": [
            {"at": access.at, "user": _person(access.user), "action": access.action}
            for access in participant.data_accesses.all()
        ],
        "change_history": [
            {
                "at": record.history_date,
                "change": record.get_history_type_display(),
                "by": _person(record.history_user),
            }
            for record in participant.history.select_related("history_user")
        ],
    }


def anonymise_inactive(*, years: int, dry_run: bool = False) -> int:
    """Replace the personal data of clients inactive for `years` years by a placeholder.

    Enrolments and attendance stay (every yearly count stays the same); the participant's
    change history is purged because it holds the old personal data. Returns how many.
    """
    if years < 1:
        raise DomainError(_("The inactivity period is at least one year."))
    candidates = participants_to_anonymise(years=years)
    if dry_run:
        return candidates.count()
    now = timezone.now()
    pks = list(candidates.values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            Participant.objects.filter(pk__in=chunk).update(
                first_name=ANONYMISED_FIRST_NAME,
                last_name=Concat(Value("#"), Cast("pk", output_field=CharField())),
                date_of_birth=None,
                gender="",
                nationality="",
                languages="",
                phone="",
                email="",
                national_register_number=None,
                anonymised_at=now,
                updated_at=now,
            )
            Participant.history.filter(id__in=chunk).delete()
            # A withdrawal reason is free text that may describe the person.
            with_reason = Q(participant_id__in=chunk) & ~Q(withdrawal_reason="")
            Enrolment.objects.filter(with_reason).update(withdrawal_reason="")
            Enrolment.history.filter(with_reason).update(withdrawal_reason="")
    return len(pks)
