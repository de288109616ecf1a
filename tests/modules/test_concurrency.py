"""No overbooking under concurrent enrolment: the module row lock serialises `enrol`."""

import threading

import pytest
from django.db import connection

from modules.models import Enrolment
from modules.services import enrol
from tests import factories as f


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_enrolments_fill_five_places_and_queue_fifteen(
    partnership_a, organisation_a, caseworker_a
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update); runs in CI on PostgreSQL")
    module = f.ModuleFactory(partnership=partnership_a, capacity=5)
    clients = [f.ParticipantFactory(organisation=organisation_a) for _ in range(20)]
    start = threading.Barrier(len(clients))
    errors = []

    def enrol_one(participant):
        try:
            start.wait(timeout=30)  # release all threads at once to provoke the race
            enrol(participant=participant, module=module, by=caseworker_a)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=enrol_one, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    enrolments = Enrolment.objects.filter(module=module)
    assert enrolments.count() == 20
    assert enrolments.filter(status="enrolled").count() == 5
    waiting = enrolments.filter(status="waitlisted")
    assert sorted(waiting.values_list("waitlist_position", flat=True)) == list(range(1, 16))
    assert enrolments.exclude(status__in=["enrolled", "waitlisted"]).count() == 0
