"""enrol / withdraw: capacity, waiting list order, promotion and the refusals."""

import pytest
from django.core import mail
from django.utils import translation

from modules.models import Enrolment, Module
from modules.services import DomainError, enrol, withdraw
from tests import factories as f


@pytest.fixture(autouse=True)
def _english_messages():
    """The refusals are asserted in English here; test_refusal_is_in_dutch_by_default checks
    the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def module(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, capacity=2, title="Wonen in Vlaanderen")


@pytest.fixture
def client_of_a(organisation_a, caseworker_a):
    def make(**kwargs):
        return f.ParticipantFactory(organisation=organisation_a, caseworker=caseworker_a, **kwargs)

    return make


def statuses(module):
    return list(
        Enrolment.objects.filter(module=module)
        .order_by("pk")
        .values_list("status", "waitlist_position")
    )


def test_enrol_with_a_free_place_enrols(module, client_of_a, caseworker_a):
    enrolment = enrol(participant=client_of_a(), module=module, by=caseworker_a)

    assert enrolment.status == Enrolment.Status.ENROLLED
    assert enrolment.waitlist_position is None
    assert enrolment.enrolled_by == caseworker_a


def test_enrol_when_full_waitlists_at_the_end(module, client_of_a, caseworker_a):
    for _ in range(2):
        enrol(participant=client_of_a(), module=module, by=caseworker_a)

    third = enrol(participant=client_of_a(), module=module, by=caseworker_a)
    fourth = enrol(participant=client_of_a(), module=module, by=caseworker_a)

    assert (third.status, third.waitlist_position) == (Enrolment.Status.WAITLISTED, 1)
    assert (fourth.status, fourth.waitlist_position) == (Enrolment.Status.WAITLISTED, 2)


def test_completed_enrolments_take_a_place(module, client_of_a, caseworker_a):
    f.EnrolmentFactory(module=module, participant=client_of_a(), status="completed")
    f.EnrolmentFactory(module=module, participant=client_of_a(), status="completed")

    enrolment = enrol(participant=client_of_a(), module=module, by=caseworker_a)

    assert enrolment.status == Enrolment.Status.WAITLISTED


def test_no_queue_jumping_when_someone_waits_although_a_place_is_free(
    module, client_of_a, caseworker_a
):
    f.EnrolmentFactory(module=module, participant=client_of_a(), status="enrolled")
    f.EnrolmentFactory(
        module=module, participant=client_of_a(), status="waitlisted", waitlist_position=1
    )
    # One place is free (capacity 2, one enrolled), but someone is already waiting.

    newcomer = enrol(participant=client_of_a(), module=module, by=caseworker_a)

    assert (newcomer.status, newcomer.waitlist_position) == (Enrolment.Status.WAITLISTED, 2)


def test_withdraw_promotes_the_first_waitlisted_and_renumbers(module, client_of_a, caseworker_a):
    enrolled = [enrol(participant=client_of_a(), module=module, by=caseworker_a) for _ in "ab"]
    waiting = [enrol(participant=client_of_a(), module=module, by=caseworker_a) for _ in "abc"]

    withdrawn = withdraw(enrolment=enrolled[0], by=caseworker_a, reason="Werk gevonden")

    assert withdrawn.status == Enrolment.Status.WITHDRAWN
    assert withdrawn.withdrawal_reason == "Werk gevonden"
    assert withdrawn.withdrawn_at is not None
    for enrolment in waiting:
        enrolment.refresh_from_db()
    assert (waiting[0].status, waiting[0].waitlist_position) == ("enrolled", None)
    assert [(e.status, e.waitlist_position) for e in waiting[1:]] == [
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]


def test_withdraw_mails_the_promoted_clients_caseworker_on_commit(
    module, client_of_a, caseworker_a, django_capture_on_commit_callbacks
):
    first = enrol(participant=client_of_a(), module=module, by=caseworker_a)
    enrol(participant=client_of_a(), module=module, by=caseworker_a)
    promoted_client = client_of_a(
        first_name="Amina", last_name="Haddad", national_register_number="85073003328"
    )
    enrol(participant=promoted_client, module=module, by=caseworker_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        withdraw(enrolment=first, by=caseworker_a)
        assert mail.outbox == []  # nothing is sent before the commit

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [caseworker_a.email]
    assert "Wonen in Vlaanderen" in message.subject
    assert "Amina Haddad" in message.body
    assert "85073003328" not in message.body
    assert "033" not in message.body


def test_withdrawing_a_waitlisted_client_closes_the_gap_without_promotion(
    module, client_of_a, caseworker_a, django_capture_on_commit_callbacks
):
    for _ in range(2):
        enrol(participant=client_of_a(), module=module, by=caseworker_a)
    waiting = [enrol(participant=client_of_a(), module=module, by=caseworker_a) for _ in "abc"]

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(enrolment=waiting[1], by=caseworker_a)

    assert sorted(statuses(module)) == sorted(
        [
            ("enrolled", None),
            ("enrolled", None),
            ("waitlisted", 1),
            ("withdrawn", None),
            ("waitlisted", 2),
        ]
    )
    waiting[2].refresh_from_db()
    assert waiting[2].waitlist_position == 2
    assert mail.outbox == []


def test_double_enrolment_is_refused(module, client_of_a, caseworker_a):
    participant = client_of_a()
    enrol(participant=participant, module=module, by=caseworker_a)

    with pytest.raises(DomainError, match="already enrolled"):
        enrol(participant=participant, module=module, by=caseworker_a)

    assert Enrolment.objects.filter(participant=participant).count() == 1


def test_re_enrolling_after_withdrawal_reuses_the_enrolment(module, client_of_a, caseworker_a):
    participant = client_of_a()
    first = enrol(participant=participant, module=module, by=caseworker_a)
    withdraw(enrolment=first, by=caseworker_a, reason="ziek")

    again = enrol(participant=participant, module=module, by=caseworker_a)

    assert again.pk == first.pk
    assert (again.status, again.withdrawn_at, again.withdrawal_reason) == ("enrolled", None, "")


@pytest.mark.parametrize(
    ("status", "enrolment_open", "message"),
    [
        (Module.Status.CANCELLED, False, "cancelled"),
        (Module.Status.COMPLETED, False, "closed"),
        (Module.Status.FINISHED, False, "closed"),
        (Module.Status.RUNNING, False, "closed"),
        (Module.Status.PLANNED, False, "closed"),
    ],
)
def test_enrolment_into_a_closed_module_is_refused(
    partnership_a, client_of_a, caseworker_a, status, enrolment_open, message
):
    module = f.ModuleFactory(
        partnership=partnership_a, status=status, enrolment_open=enrolment_open
    )

    with pytest.raises(DomainError, match=message):
        enrol(participant=client_of_a(), module=module, by=caseworker_a)

    assert not Enrolment.objects.filter(module=module).exists()


def test_running_module_with_enrolment_open_accepts_enrolments(
    partnership_a, client_of_a, caseworker_a
):
    module = f.ModuleFactory(partnership=partnership_a, status="running", enrolment_open=True)

    assert enrol(participant=client_of_a(), module=module, by=caseworker_a).status == "enrolled"


def test_enrolling_another_organisations_client_is_refused(module, organisation_b, caseworker_a):
    outsider = f.ParticipantFactory(organisation=organisation_b)

    with pytest.raises(DomainError, match="another organisation"):
        enrol(participant=outsider, module=module, by=caseworker_a)

    assert not Enrolment.objects.exists()


def test_enrolling_into_a_module_of_another_partnership_is_refused(
    partnership_b, client_of_a, caseworker_a
):
    foreign = f.ModuleFactory(partnership=partnership_b)

    with pytest.raises(DomainError, match="not open to your organisation"):
        enrol(participant=client_of_a(), module=foreign, by=caseworker_a)


def test_enrolling_an_anonymised_client_is_refused(module, client_of_a, caseworker_a):
    from django.utils import timezone

    with pytest.raises(DomainError, match="anonymised"):
        enrol(participant=client_of_a(anonymised_at=timezone.now()), module=module, by=caseworker_a)


def test_withdrawing_another_organisations_client_is_refused(module, organisation_b, caseworker_a):
    outsider_enrolment = f.EnrolmentFactory(
        module=module, participant=f.ParticipantFactory(organisation=organisation_b)
    )

    with pytest.raises(DomainError):
        withdraw(enrolment=outsider_enrolment, by=caseworker_a)

    outsider_enrolment.refresh_from_db()
    assert outsider_enrolment.status == "enrolled"


def test_withdrawing_twice_is_refused(module, client_of_a, caseworker_a):
    enrolment = enrol(participant=client_of_a(), module=module, by=caseworker_a)
    withdraw(enrolment=enrolment, by=caseworker_a)

    with pytest.raises(DomainError, match="already been withdrawn"):
        withdraw(enrolment=enrolment, by=caseworker_a)


def test_manager_cannot_enrol(module, client_of_a, manager):
    with pytest.raises(DomainError):
        enrol(participant=client_of_a(), module=module, by=manager)


def test_fill_free_places_promotes_the_queue_in_order_after_capacity_grew(
    module, client_of_a, caseworker_a, django_capture_on_commit_callbacks
):
    from modules.services import fill_free_places

    for _ in range(2):
        enrol(participant=client_of_a(), module=module, by=caseworker_a)
    waiting = [enrol(participant=client_of_a(), module=module, by=caseworker_a) for _ in "abc"]
    module.capacity = 4
    module.save()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = fill_free_places(module=module)

    assert [e.pk for e in promoted] == [waiting[0].pk, waiting[1].pk]
    waiting[2].refresh_from_db()
    assert (waiting[2].status, waiting[2].waitlist_position) == ("waitlisted", 1)
    # One mail to the one caseworker, naming both; a capacity increase is nobody's "first".
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert all(str(e.participant) in body for e in promoted)
    assert str(waiting[2].participant) not in body
    assert "eerste" not in body and "first" not in body


def test_refusal_is_in_dutch_by_default(module, client_of_a, caseworker_a):
    client = client_of_a()
    enrol(participant=client, module=module, by=caseworker_a)
    with translation.override("nl"), pytest.raises(DomainError, match="al ingeschreven"):
        enrol(participant=client, module=module, by=caseworker_a)
