"""Free places have one definition, and more capacity moves the waiting list up."""

import pytest

from modules.models import Enrolment, Module
from modules.queries import planning_modules_for
from modules.services import enrol, save_module
from tests import factories as f


@pytest.fixture
def small_module(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, capacity=1)


def test_raising_capacity_promotes_the_waiting_list_in_order(
    small_module,
    organisation_a,
    caseworker_a,
    staff_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    clients = [
        f.ParticipantFactory(organisation=organisation_a, caseworker=caseworker_a) for _ in range(3)
    ]
    enrolments = [enrol(participant=c, module=small_module, by=caseworker_a) for c in clients]
    assert [e.status for e in enrolments] == ["enrolled", "waitlisted", "waitlisted"]

    small_module.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        save_module(
            module=small_module,
            themes=small_module.themes.all(),
            objectives=small_module.objectives.all(),
            by=staff_a,
        )

    statuses = dict(
        Enrolment.objects.filter(module=small_module).values_list("participant_id", "status")
    )
    assert statuses[clients[1].pk] == "enrolled"
    positions = Enrolment.objects.get(participant=clients[2], module=small_module)
    assert (positions.status, positions.waitlist_position) == ("waitlisted", 1)
    assert len(mailoutbox) == 1


def test_staff_free_places_do_not_count_no_shows(small_module, staff_a):
    f.EnrolmentFactory(module=small_module, status=Enrolment.Status.NO_SHOW)
    module = planning_modules_for(staff_a).get(pk=small_module.pk)
    assert module.free_places == 1
    assert Module.objects.get(pk=small_module.pk).capacity == 1


def test_an_overbooked_module_has_no_free_places_and_a_fill_rate_over_100(small_module, staff_a):
    """Capacity lowered below the places taken (the admin may): free places stay at 0, the
    fill rate says how far over it is, in whole percent rounded down."""
    for _ in range(3):
        f.EnrolmentFactory(module=small_module, status=Enrolment.Status.ENROLLED)
    Module.objects.filter(pk=small_module.pk).update(capacity=2)
    listed = planning_modules_for(staff_a).get(pk=small_module.pk)
    assert (listed.taken, listed.free_places, listed.fill_rate) == (3, 0, 150)
    Module.objects.filter(pk=small_module.pk).update(capacity=7)
    listed = planning_modules_for(staff_a).get(pk=small_module.pk)
    assert (listed.taken, listed.free_places, listed.fill_rate) == (3, 4, 42)
