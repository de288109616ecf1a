"""Issue 8, finding 7: registration answered "does this national register number exist at
another organisation?" without limit or record. The rule lives in the registration service
(register_participant, update_participant), so every way in — form, API, import — gets it:
each cross-organisation hit is recorded in the personal-data access log, and after
DAILY_NUMBER_MATCH_LIMIT hits in a day the user is told to contact the agency."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from modules.models import Participant, PersonalDataAccess
from modules.services import (
    DAILY_NUMBER_MATCH_LIMIT,
    DomainError,
    register_participant,
    update_participant,
)
from tests import factories as f

TODAY = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=datetime.UTC)
MATCH = PersonalDataAccess.Action.NUMBER_MATCH


def _fields(number: str, n: int = 0) -> dict:
    return {
        "first_name": "Nieuw",
        "last_name": f"Persoon{n}",
        "date_of_birth": datetime.date(1990, 1, 1),
        "national_register_number": number,
        "consent_date": datetime.date(2026, 11, 20),
    }


@pytest.fixture
def clients_of_a(organisation_a, caseworker_a):
    return [
        f.ParticipantFactory(
            organisation=organisation_a,
            caseworker=caseworker_a,
            national_register_number=f.make_national_register_number(100 + n),
        )
        for n in range(DAILY_NUMBER_MATCH_LIMIT + 2)
    ]


@time_machine.travel(TODAY, tick=False)
def test_a_cross_organisation_hit_is_refused_and_recorded(caseworker_b, clients_of_a):
    existing = clients_of_a[0]

    with pytest.raises(DomainError) as refused:
        register_participant(by=caseworker_b, fields=_fields(existing.national_register_number))

    assert "national_register_number" in refused.value.error_dict
    (access,) = PersonalDataAccess.objects.all()
    assert (access.participant, access.user, access.action) == (existing, caseworker_b, MATCH)


@time_machine.travel(TODAY, tick=False)
def test_a_hit_in_the_own_organisation_is_refused_but_not_counted(caseworker_a, clients_of_a):
    with pytest.raises(DomainError):
        register_participant(
            by=caseworker_a, fields=_fields(clients_of_a[0].national_register_number)
        )

    assert not PersonalDataAccess.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_after_the_daily_limit_every_registration_is_refused_without_a_lookup(
    caseworker_b, clients_of_a
):
    for existing in clients_of_a[:DAILY_NUMBER_MATCH_LIMIT]:
        with pytest.raises(DomainError):
            register_participant(by=caseworker_b, fields=_fields(existing.national_register_number))
    assert PersonalDataAccess.objects.filter(action=MATCH).count() == DAILY_NUMBER_MATCH_LIMIT

    # The next hit, and even a free number, get the same answer: the oracle is closed.
    answers = []
    for number in (clients_of_a[-1].national_register_number, f.make_national_register_number(7)):
        with pytest.raises(DomainError) as refused:
            register_participant(by=caseworker_b, fields=_fields(number, 99))
        answers.append(" ".join(refused.value.messages))

    assert answers[0] == answers[1]
    assert "agentschap" in answers[0] or "agency" in answers[0]
    assert PersonalDataAccess.objects.filter(action=MATCH).count() == DAILY_NUMBER_MATCH_LIMIT
    assert not Participant.objects.filter(last_name="Persoon99").exists()


def test_the_limit_is_per_day(caseworker_b, clients_of_a):
    with time_machine.travel(TODAY, tick=False):
        for existing in clients_of_a[:DAILY_NUMBER_MATCH_LIMIT]:
            with pytest.raises(DomainError):
                register_participant(
                    by=caseworker_b, fields=_fields(existing.national_register_number)
                )
    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False):
        created = register_participant(
            by=caseworker_b, fields=_fields(f.make_national_register_number(8))
        )
    assert created.pk and timezone.localdate(created.created_at) == datetime.date(2026, 11, 30)


@time_machine.travel(TODAY, tick=False)
def test_the_limit_is_per_user(caseworker_b, organisation_b, clients_of_a):
    colleague = f.UserFactory(username="caseworker_b2")
    f.MembershipFactory(user=colleague, role="caseworker", office=None, organisation=organisation_b)
    for existing in clients_of_a[:DAILY_NUMBER_MATCH_LIMIT]:
        with pytest.raises(DomainError):
            register_participant(by=caseworker_b, fields=_fields(existing.national_register_number))

    created = register_participant(by=colleague, fields=_fields(f.make_national_register_number(9)))

    assert created.organisation == organisation_b


@time_machine.travel(TODAY, tick=False)
def test_changing_a_clients_number_to_another_organisations_is_a_recorded_hit(
    caseworker_b, organisation_b, clients_of_a
):
    own = f.ParticipantFactory(organisation=organisation_b, caseworker=caseworker_b)
    taken = clients_of_a[0].national_register_number

    with pytest.raises(DomainError):
        update_participant(
            participant=own, by=caseworker_b, fields={"national_register_number": taken}
        )

    assert PersonalDataAccess.objects.get().participant == clients_of_a[0]
    own.refresh_from_db()
    assert own.national_register_number != taken


@time_machine.travel(TODAY, tick=False)
def test_over_the_limit_a_caseworker_can_still_edit_other_data(
    caseworker_b, organisation_b, clients_of_a
):
    own = f.ParticipantFactory(organisation=organisation_b, caseworker=caseworker_b)
    for existing in clients_of_a[:DAILY_NUMBER_MATCH_LIMIT]:
        with pytest.raises(DomainError):
            register_participant(by=caseworker_b, fields=_fields(existing.national_register_number))

    update_participant(
        participant=own,
        by=caseworker_b,
        fields={"phone": "0470 00 00 00", "national_register_number": own.national_register_number},
    )

    own.refresh_from_db()
    assert own.phone == "0470 00 00 00"


@time_machine.travel(TODAY, tick=False)
def test_the_form_keeps_the_duplicate_warning_on_the_field_and_records_the_hit(
    client, caseworker_b, clients_of_a
):
    client.force_login(caseworker_b)
    existing = clients_of_a[0]

    response = client.post(
        reverse("modules:participant_create"),
        {
            "first_name": "Nieuw",
            "last_name": "Persoon",
            "date_of_birth": "1990-01-01",
            "national_register_number": existing.national_register_number,
            "consent_given": "on",
            "consent_date": "2026-11-20",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["national_register_number"]
    assert existing.last_name not in response.content.decode()
    assert PersonalDataAccess.objects.filter(user=caseworker_b, action=MATCH).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_hits_of_one_user_stop_at_the_limit(
    caseworker_b, organisation_a, caseworker_a
):
    """The user row lock: ten threads of one user, one hit left before the limit."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update); runs in CI on PostgreSQL")
    import threading

    clients = [
        f.ParticipantFactory(
            organisation=organisation_a, national_register_number=f.make_national_register_number(n)
        )
        for n in range(300, 300 + DAILY_NUMBER_MATCH_LIMIT + 9)
    ]
    for existing in clients[: DAILY_NUMBER_MATCH_LIMIT - 1]:
        PersonalDataAccess.objects.create(participant=existing, user=caseworker_b, action=MATCH)
    rest = clients[DAILY_NUMBER_MATCH_LIMIT - 1 :]
    start = threading.Barrier(len(rest))

    def try_one(existing):
        try:
            start.wait(timeout=30)
            register_participant(by=caseworker_b, fields=_fields(existing.national_register_number))
        except DomainError:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=try_one, args=(existing,)) for existing in rest]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert PersonalDataAccess.objects.filter(action=MATCH).count() == DAILY_NUMBER_MATCH_LIMIT
