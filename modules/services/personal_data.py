"""Personal data: registering and editing clients, revealing the national register
number, the right-of-access export and anonymisation."""

import datetime
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.access import CASEWORKER, MANAGER, organisation_id_of, role_of
from partnerships.validators import format_national_register_number

from ..models import (
    NATIONAL_NUMBER_TAKEN,
    Attendance,
    Enrolment,
    Participant,
    PersonalDataAccess,
)
from ..queries import (
    enrolments_visible_to,
    participants_to_anonymise,
    sees_whole_record,
)
from .errors import DomainError

ANONYMISED_FIRST_NAME = "Geanonimiseerd"
# A registration that finds the number at another organisation tells the user that the
# person is a client there: recorded, and limited per user and day (issue 8).
DAILY_NUMBER_MATCH_LIMIT = 10
NUMBER_MATCH_LIMIT_REACHED = _(
    "You typed %(limit)d national register numbers of other organisations' clients today. "
    "For your clients' safety you cannot register or change numbers until tomorrow; contact "
    "the agency if you need to today."
)


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


def _check_national_number_free(*, number: str | None, by, exclude_pk: int | None = None) -> None:
    """Refuse a number already stored; the one place that answers "is this number known?".

    A number of another organisation's client is recorded in the personal-data access log,
    and after DAILY_NUMBER_MATCH_LIMIT such hits in a day the user gets one answer for every
    number, free or not, until tomorrow. The record is committed even though we then refuse
    (unless the caller's own transaction rolls back).
    """
    if not number:
        return
    refusal = None
    with transaction.atomic():
        # Lock the user's row: two requests of one user at the same time queue here, so the
        # count of today's hits cannot be read twice before either is recorded.
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        start_of_day = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate(), datetime.time.min)
        )
        hits_today = PersonalDataAccess.objects.filter(
            user=by, action=PersonalDataAccess.Action.NUMBER_MATCH, at__gte=start_of_day
        ).count()
        if hits_today >= DAILY_NUMBER_MATCH_LIMIT:
            refusal = DomainError(
                NUMBER_MATCH_LIMIT_REACHED % {"limit": DAILY_NUMBER_MATCH_LIMIT},
                code="number_match_limit",
            )
        else:
            existing = (
                Participant.objects.filter(national_register_number=number)
                .exclude(pk=exclude_pk)
                .only("pk", "organisation_id")
                .first()
            )
            if existing is not None:
                if existing.organisation_id != organisation_id_of(by):
                    PersonalDataAccess.objects.create(
                        participant=existing,
                        user=by,
                        action=PersonalDataAccess.Action.NUMBER_MATCH,
                    )
                refusal = DomainError({"national_register_number": [NATIONAL_NUMBER_TAKEN]})
    if refusal is not None:
        raise refusal


def register_participant(*, by, fields: dict[str, Any]) -> Participant:
    """Register a client of the caseworker's organisation; the caseworker records the consent."""
    organisation_id = organisation_id_of(by)
    if organisation_id is None:
        raise DomainError(_("Only a partner caseworker can register clients."))
    _check_national_number_free(number=fields.get("national_register_number"), by=by)
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
    stored_consent, stored_number = Participant.objects.values_list(
        "consent_date", "national_register_number"
    ).get(pk=participant.pk)
    new_number = fields.get("national_register_number", stored_number)
    if new_number != stored_number:
        _check_national_number_free(number=new_number, by=by, exclude_pk=participant.pk)
    for name, value in fields.items():
        setattr(participant, name, value)
    if participant.consent_date != stored_consent:
        participant.consent_recorded_by = by
        # A consent given again after a withdrawal ends the withdrawal.
        withdrawn = participant.consent_withdrawn_on
        if withdrawn is not None and participant.consent_date >= withdrawn:
            participant.consent_withdrawn_on = None
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
    """What `by` may see about one client, as data; the export itself is recorded.

    Administrators and the client's own organisation get everything stored (right of access:
    every enrolment, the access log, the change history); staff get what the client page
    shows them: the personal data and their office's enrolments with their attendance.
    """
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
        enrolments_visible_to(by)
        .filter(participant=participant)
        .select_related("module__partnership__office", "enrolled_by")
        .prefetch_related("attendances__session")
        .order_by("enrolled_at", "pk")
    )
    data = {
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
            "consent_withdrawn_on": participant.consent_withdrawn_on,
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
    }
    if sees_whole_record(by, participant):
        data["data_access_log"] = [
            {"at": access.at, "user": _person(access.user), "action": access.action}
            for access in participant.data_accesses.all()
        ]
        data["change_history"] = [
            {
                "at": record.history_date,
                "change": record.get_history_type_display(),
                "by": _person(record.history_user),
            }
            for record in participant.history.select_related("history_user")
        ]
    return data


def personal_data_document(*, participant: Participant, by) -> dict[str, Any]:
    """The export of `export_personal_data` (same scope, recorded the same way) with every
    code in words, for the readable document a caseworker hands to the person."""
    data = export_personal_data(participant=participant, by=by)
    enrolment_statuses = dict(Enrolment.Status.choices)
    attendance_statuses = dict(Attendance.Status.choices)
    actions = dict(PersonalDataAccess.Action.choices)
    for enrolment in data["enrolments"]:
        enrolment["status_label"] = enrolment_statuses.get(enrolment["status"], "")
        for attendance in enrolment["attendance"]:
            attendance["status_label"] = attendance_statuses.get(attendance["status"], "")
    for access in data.get("data_access_log", []):
        access["action_label"] = actions.get(access["action"], access["action"])
    return data


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
    pks = list(candidates.values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(pks), 500):
            _anonymise(pks[start : start + 500])
    return len(pks)


def _anonymise(pks: list[int], **extra) -> None:
    """The one anonymisation, for the inactivity rule and for an erasure on request: the
    personal data become a placeholder, the change history (which holds the old values),
    withdrawal reasons (free text) and the admin log's texts follow. Enrolments and attendance
    stay, so every count stays the same. Call inside a transaction."""
    now = timezone.now()
    Participant.objects.filter(pk__in=pks).update(
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
        **extra,
    )
    Participant.history.filter(id__in=pks).delete()
    # A withdrawal reason is free text that may describe the person.
    with_reason = Q(participant_id__in=pks) & ~Q(withdrawal_reason="")
    Enrolment.objects.filter(with_reason).update(withdrawal_reason="")
    Enrolment.history.filter(with_reason).update(withdrawal_reason="")
    _rename_in_admin_log(pks)


def _check_speaks_for_client(participant: Participant, by) -> None:
    """Erasure and consent are the controller's acts: the client's own organisation (its
    caseworkers) and administrators — those who see the whole record. Staff never."""
    if not sees_whole_record(by, participant):
        raise DomainError(_("Only the client's own organisation can do this."))
    if participant.anonymised_at is not None:
        raise DomainError(_("This client's data has been anonymised."))


def erase_participant(*, participant: Participant, by, reason: str) -> Participant:
    """Erase one client's personal data now, on their request (right to erasure), by the same
    anonymisation as `anonymise_inactive`: every count stays the same. The reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the erasure."))
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        _check_speaks_for_client(participant, by)
        _anonymise([participant.pk], anonymisation_reason=reason[:300])
        PersonalDataAccess.objects.create(
            participant=participant, user=by, action=PersonalDataAccess.Action.ERASE
        )
    participant.refresh_from_db()
    return participant


def withdraw_consent(*, participant: Participant, by) -> Participant:
    """Record today as the day the client withdrew consent; from now on they cannot be
    enrolled (`enrol` refuses). Current enrolments stay until the caseworker withdraws them."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        _check_speaks_for_client(participant, by)
        if participant.consent_withdrawn_on is not None:
            raise DomainError(_("This client's consent was already withdrawn."))
        participant.consent_withdrawn_on = timezone.localdate()
        participant._change_reason = "consent withdrawn"
        participant.save(update_fields=["consent_withdrawn_on", "updated_at"])
    return participant


def _rename_in_admin_log(participant_pks: list[int]) -> None:
    """The admin's "Recent actions" keep the text an object had when it was changed: for a
    client, their enrolments and attendance (whose text names the client) that is the old
    name. Give those entries the anonymised text."""
    related = {
        Participant: Participant.objects.filter(pk__in=participant_pks),
        Enrolment: Enrolment.objects.filter(participant_id__in=participant_pks).select_related(
            "participant", "module"
        ),
        Attendance: Attendance.objects.filter(
            enrolment__participant_id__in=participant_pks
        ).select_related("enrolment__participant", "session__module"),
    }
    for model, objects in related.items():
        as_text = objects.annotate(text_pk=Cast("pk", output_field=CharField())).values("text_pk")
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=as_text
        )
        by_pk: dict[str, list[LogEntry]] = {}
        for entry in entries.only("pk", "object_id"):
            by_pk.setdefault(entry.object_id, []).append(entry)
        for obj in objects.filter(pk__in=[int(pk) for pk in by_pk]):
            LogEntry.objects.filter(pk__in=[e.pk for e in by_pk[str(obj.pk)]]).update(
                object_repr=str(obj)[:200]
            )
