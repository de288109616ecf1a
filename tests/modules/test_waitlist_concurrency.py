"""The staff's waiting-list actions take the module lock like enrol and withdraw: proven by
races on PostgreSQL with real threads and connections (fails without `select_for_update()`
in `_lock_waitlisted`; tried on purpose)."""

import pytest

from modules.models import Enrolment, Module
from modules.services import DomainError, enrol_from_waitlist, move_on_waitlist
from tests import factories as f
from tests.modules.test_concurrency_locks import (
    _postgres_only,
    counting_together,
    meeting_at,
    run_together,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
_postgres_only = _postgres_only  # the same skip on SQLite


@pytest.fixture
def waiting(partnership_a, organisation_a):
    module = f.ModuleFactory(partnership=partnership_a, capacity=1)
    ours = {"participant__organisation": organisation_a}
    f.EnrolmentFactory(module=module, **ours)
    return module, [
        f.EnrolmentFactory(module=module, status="waitlisted", waitlist_position=n, **ours)
        for n in (1, 2, 3)
    ]


def test_two_staff_giving_the_last_free_place_never_overbook(monkeypatch, waiting, staff_a):
    module, queue = waiting
    Module.objects.filter(pk=module.pk).update(capacity=2)  # one free place
    counting_together(monkeypatch, later=0.5)

    errors = run_together(
        lambda: enrol_from_waitlist(enrolment=queue[1], by=staff_a, reason="Voorrang"),
        lambda: enrol_from_waitlist(enrolment=queue[2], by=staff_a, reason="Voorrang"),
    )

    assert Enrolment.objects.filter(module=module, status="enrolled").count() == 2, "overbooked"
    assert len(errors) == 1 and isinstance(next(iter(errors.values())), DomainError)


def test_two_simultaneous_moves_keep_the_queue_whole(monkeypatch, waiting, staff_a):
    module, queue = waiting
    # Both moves have read the queue (position, neighbour) before either records a change:
    # without the module lock they then write from the same stale picture.
    meeting_at(monkeypatch, "_record_change", later=0.3, after=False)

    errors = run_together(
        lambda: move_on_waitlist(enrolment=queue[2], up=True, by=staff_a, reason="Dringend"),
        lambda: move_on_waitlist(enrolment=queue[0], up=False, by=staff_a, reason="Later"),
    )

    assert errors == {}
    positions = sorted(
        Enrolment.objects.filter(module=module, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == [1, 2, 3]
