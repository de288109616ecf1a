"""Constraints and validators of the modules app: what the database must never accept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import translation

from modules.models import Enrolment, Evaluation, Module, OfferRequest, Participant, Session
from partnerships.validators import (
    mask_national_register_number,
    normalise_national_register_number,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# --- national register numbers -----------------------------------------------------------


def test_valid_national_register_number_is_stored_compact():
    participant = f.ParticipantFactory.build(
        organisation=f.PartnerOrganisationFactory(),
        national_register_number="85.07.30-033.28",
        date_of_birth=datetime.date(1985, 7, 30),
    )
    participant.full_clean()
    participant.save()
    participant.refresh_from_db()

    assert participant.national_register_number == "85073003328"
    assert participant.masked_national_register_number
    assert not any(ch.isdigit() for ch in participant.masked_national_register_number)


def test_national_register_number_of_someone_born_in_2000_or_later_is_valid():
    number = f.make_national_register_number(1, born=datetime.date(2003, 2, 14))
    assert normalise_national_register_number(number) == number
    # The same digits with the pre-2000 checksum would be wrong.
    pre_2000 = int(number[:9]) % 97
    assert number[9:] != f"{97 - pre_2000:02d}"


def test_national_register_number_with_wrong_checksum_is_refused_naming_the_field():
    participant = f.ParticipantFactory.build(
        organisation=f.PartnerOrganisationFactory(), national_register_number="85.07.30-033.29"
    )
    with pytest.raises(ValidationError) as error:
        participant.full_clean()
    messages = error.value.message_dict["national_register_number"]
    assert any("National register number" in m or "Rijksregisternummer" in m for m in messages)


def test_national_register_number_is_unique_when_given():
    f.ParticipantFactory(national_register_number="85073003328")
    _refused(lambda: f.ParticipantFactory(national_register_number="85073003328"))


def test_many_participants_without_national_register_number_are_allowed():
    f.ParticipantFactory(national_register_number=None)
    f.ParticipantFactory(national_register_number="")  # stored as NULL, not ""
    assert Participant.objects.filter(national_register_number__isnull=True).count() == 2


def test_mask_shows_only_the_last_digits():
    with translation.override("en"):
        assert mask_national_register_number("85073003328") == "registered"
    assert mask_national_register_number("") == ""


def test_participant_history_never_stores_the_national_register_number():
    participant = f.ParticipantFactory(national_register_number="85073003328")
    record = participant.history.first()
    assert not hasattr(record, "national_register_number")


# --- modules and sessions ----------------------------------------------------------------


@pytest.mark.parametrize("capacity", [0])
def test_module_capacity_must_be_positive_in_the_database(capacity):
    _refused(lambda: f.ModuleFactory(capacity=capacity))


def test_module_capacity_zero_fails_full_clean():
    module = f.ModuleFactory.build(partnership=f.PartnershipFactory(), capacity=0)
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert "capacity" in error.value.message_dict


@pytest.mark.parametrize("threshold", [101, 150])
def test_completion_threshold_above_100_is_refused_by_the_database(threshold):
    _refused(lambda: f.ModuleFactory(completion_threshold=threshold))


@pytest.mark.parametrize("threshold", [0, 75, 100])
def test_completion_threshold_between_0_and_100_is_accepted(threshold):
    module = f.ModuleFactory(completion_threshold=threshold)
    module.full_clean()
    assert module.pk


def test_completion_threshold_above_100_fails_full_clean():
    module = f.ModuleFactory.build(partnership=f.PartnershipFactory(), completion_threshold=101)
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert "completion_threshold" in error.value.message_dict


def test_partner_facilitator_must_work_at_a_partner_of_the_agreement(partnership_a):
    outsider = f.ContactPersonFactory()
    module = f.ModuleFactory.build(partnership=partnership_a, partner_facilitator=outsider)
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert "partner_facilitator" in error.value.message_dict


@pytest.mark.parametrize(
    ("start", "end"), [(datetime.time(12), datetime.time(9)), (datetime.time(9), datetime.time(9))]
)
def test_session_must_end_after_it_starts(start, end):
    _refused(lambda: f.SessionFactory(start_time=start, end_time=end))


def test_session_ending_before_start_fails_clean_on_end_time():
    session = f.SessionFactory.build(
        module=f.ModuleFactory(), start_time=datetime.time(12), end_time=datetime.time(9)
    )
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "end_time" in error.value.message_dict


def test_session_duration_in_hours():
    session = f.SessionFactory.build(start_time=datetime.time(9), end_time=datetime.time(12, 30))
    assert session.duration_hours == 3.5


# --- enrolments and attendance -----------------------------------------------------------


def test_one_enrolment_per_participant_and_module():
    enrolment = f.EnrolmentFactory()
    _refused(lambda: f.EnrolmentFactory(participant=enrolment.participant, module=enrolment.module))


def test_one_attendance_per_enrolment_and_session():
    attendance = f.AttendanceFactory()
    _refused(
        lambda: f.AttendanceFactory(enrolment=attendance.enrolment, session=attendance.session)
    )


def test_waitlisted_enrolment_needs_a_position():
    _refused(lambda: f.EnrolmentFactory(status="waitlisted", waitlist_position=None))


@pytest.mark.parametrize("status", ["enrolled", "completed", "withdrawn", "no_show"])
def test_enrolment_not_on_the_waitlist_has_no_position(status):
    _refused(lambda: f.EnrolmentFactory(status=status, waitlist_position=1))


def test_two_waitlisted_participants_cannot_share_a_position():
    first = f.EnrolmentFactory(status="waitlisted", waitlist_position=1)
    _refused(
        lambda: f.EnrolmentFactory(module=first.module, status="waitlisted", waitlist_position=1)
    )
    second = f.EnrolmentFactory(module=first.module, status="waitlisted", waitlist_position=2)
    assert second.pk


def test_waitlist_positions_are_per_module():
    f.EnrolmentFactory(status="waitlisted", waitlist_position=1)
    other = f.EnrolmentFactory(status="waitlisted", waitlist_position=1)
    assert other.pk


def test_deleting_a_module_with_enrolments_is_refused():
    enrolment = f.EnrolmentFactory()
    with pytest.raises(ProtectedError):
        enrolment.module.delete()
    assert Module.objects.filter(pk=enrolment.module_id).exists()


def test_deleting_a_participant_with_enrolments_is_refused():
    enrolment = f.EnrolmentFactory()
    with pytest.raises(ProtectedError):
        enrolment.participant.delete()
    assert Participant.objects.filter(pk=enrolment.participant_id).exists()


def test_deleting_a_session_with_attendance_is_refused():
    attendance = f.AttendanceFactory()
    with pytest.raises(ProtectedError):
        attendance.session.delete()
    assert Session.objects.filter(pk=attendance.session_id).exists()


def test_module_without_enrolments_can_be_deleted_with_its_sessions():
    session = f.SessionFactory()
    session.module.delete()
    assert not Session.objects.filter(pk=session.pk).exists()


def test_enrolment_changes_are_kept_in_history():
    enrolment = f.EnrolmentFactory()
    before = enrolment.history.count()
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save()
    assert enrolment.history.count() == before + 1
    assert enrolment.history.first().status == "withdrawn"


# --- offer requests and evaluations ------------------------------------------------------


def test_declined_request_needs_a_reason_in_the_database():
    _refused(lambda: f.OfferRequestFactory(status="declined", decline_reason=""))


def test_declined_request_without_reason_fails_clean_on_the_reason():
    request = f.OfferRequestFactory.build(status="declined", decline_reason="  ")
    with pytest.raises(ValidationError) as error:
        request.clean()
    assert "decline_reason" in error.value.message_dict


def test_declined_request_with_reason_is_accepted():
    request = f.OfferRequestFactory(status="declined", decline_reason="Geen lesgever.")
    assert OfferRequest.objects.filter(pk=request.pk, status="declined").exists()


def test_planned_request_must_link_what_answers_it():
    request = f.OfferRequestFactory.build(status="planned")
    with pytest.raises(ValidationError):
        request.clean()


def test_evaluation_of_neither_partnership_nor_module_is_refused():
    _refused(lambda: f.EvaluationFactory(partnership=None, module=None))


def test_evaluation_of_both_partnership_and_module_is_refused():
    module = f.ModuleFactory()
    _refused(lambda: f.EvaluationFactory(partnership=module.partnership, module=module))


def test_evaluation_of_a_module_alone_is_accepted():
    evaluation = f.EvaluationFactory(partnership=None, module=f.ModuleFactory())
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()


@pytest.mark.parametrize("rating", [0, 6])
def test_evaluation_rating_outside_1_to_5_is_refused(rating):
    _refused(lambda: f.EvaluationFactory(rating=rating))
