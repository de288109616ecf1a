"""The report reads a rollup (issue 10); random sequences of every write that can change it
(attendance through the service and the admin, a session moved, cancelled or edited in the
admin, a module moved to another agreement, an agreement's new lead partner, and every
change of an enrolment's status: enrol, waitlist, withdraw, promote after a capacity change
in the admin, enrol from the waiting list, close a module) leave the report equal to the
plain COUNT(DISTINCT) reference after each step, on SQLite and PostgreSQL."""

import datetime
import io

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modules import services
from modules.models import (
    Attendance,
    Enrolment,
    Module,
    ReportAttendanceYear,
    ReportModuleEnrolments,
    ReportSessionYear,
    Session,
)
from modules.queries import ReportFilters, yearly_counts
from modules.services import DomainError
from partnerships.models import Partnership
from tests import factories as f
from tests.modules.test_reports_reference import _assert_row_equals, reference_counts

YEARS = (2024, 2025)
DATES = [datetime.date(2024, 11, 4), datetime.date(2024, 12, 30), datetime.date(2025, 1, 6)]
TIMES = [
    (datetime.time(9, 0), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(14, 15)),
]
MARKS = st.sampled_from(["present", "absent", "excused"])

step = st.one_of(
    st.tuples(st.just("record"), st.integers(0, 5), st.lists(MARKS, min_size=3, max_size=3)),
    st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 2), st.integers(0, 1)),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(
        st.just("admin_session"),
        st.integers(0, 5),
        st.integers(0, 2),
        st.integers(0, 1),
        st.sampled_from(["planned", "held", "cancelled"]),
    ),
    st.tuples(st.just("admin_attendance"), st.integers(0, 20), MARKS),
    st.tuples(st.just("admin_delete_attendance"), st.integers(0, 20)),
    st.tuples(st.just("withdraw"), st.integers(0, 9)),
    st.tuples(st.just("enrol"), st.integers(0, 2), st.integers(0, 1)),
    st.tuples(
        st.just("capacity"), st.integers(0, 1), st.integers(3, 6), st.sampled_from(["admin", "app"])
    ),
    st.tuples(st.just("from_waitlist"), st.integers(0, 1)),
    st.tuples(st.just("close"), st.integers(0, 1)),
    st.tuples(st.just("admin_session_module"), st.integers(0, 5), st.integers(0, 1)),
    st.tuples(st.just("agreement"), st.integers(0, 1), st.integers(0, 1)),
    st.tuples(st.just("lead"), st.integers(0, 1), st.integers(0, 2)),
)


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


class _Form:
    def __init__(self, instance):
        self.instance = instance

    def save_m2m(self):
        pass


def _admin_save(user, obj):
    model_admin = site._registry[type(obj)]
    request = _request(user)
    model_admin.save_model(request, obj, _Form(obj), True)
    model_admin.save_related(request, _Form(obj), [], True)


def _world(admin):
    partnerships = [f.PartnershipFactory(), f.PartnershipFactory()]
    modules, sessions, enrolments = [], [], []
    for partnership in partnerships:
        # Four places: the second module is full, so new clients wait and withdrawals promote.
        module = f.ModuleFactory(
            partnership=partnership, status="running", enrolment_open=True, capacity=4
        )
        modules.append(module)
        for date, (start, end) in zip(DATES, TIMES * 2, strict=False):
            sessions.append(
                Session.objects.create(module=module, date=date, start_time=start, end_time=end)
            )
        for _ in range(3):
            enrolments.append(f.EnrolmentFactory(module=module, status="enrolled"))
    # One client in both modules: distinct participants must not count them twice.
    enrolments.append(f.EnrolmentFactory(module=modules[1], participant=enrolments[0].participant))
    # Clients the steps enrol: new ones, or (after a withdrawal) the same enrolment again.
    newcomers = [enrolments[3].participant, f.ParticipantFactory(), f.ParticipantFactory()]
    return partnerships, modules, sessions, enrolments, newcomers


def _apply(action, admin, partnerships, modules, sessions, enrolments, newcomers):
    name, *args = action
    try:
        if name == "record":
            session = Session.objects.get(pk=sessions[args[0]].pk)
            module_enrolments = [e for e in enrolments if e.module_id == session.module_id][:3]
            marks = {e.pk: m for e, m in zip(module_enrolments, args[1], strict=False)}
            services.record_attendance(session=session, marks=marks, by=admin)
        elif name == "move":
            start, end = TIMES[args[2]]
            services.move_session(
                session=sessions[args[0]],
                date=DATES[args[1]],
                start_time=start,
                end_time=end,
                by=admin,
            )
        elif name == "cancel":
            services.cancel_session(session=sessions[args[0]], reason="ziek", by=admin)
        elif name == "admin_session":
            session = Session.objects.get(pk=sessions[args[0]].pk)
            session.date = DATES[args[1]]
            session.start_time, session.end_time = TIMES[args[2]]
            session.status = args[3]
            _admin_save(admin, session)
        elif name in ("admin_attendance", "admin_delete_attendance"):
            rows = list(Attendance.objects.order_by("pk"))
            if not rows:
                return
            attendance = rows[args[0] % len(rows)]
            if name == "admin_attendance":
                attendance.status = args[1]
                _admin_save(admin, attendance)
            else:
                site._registry[Attendance].delete_model(_request(admin), attendance)
        elif name == "admin_session_module":
            session = Session.objects.get(pk=sessions[args[0]].pk)
            session.module = modules[args[1]]
            _admin_save(admin, session)
        elif name == "withdraw":
            enrolment = Enrolment.objects.get(pk=enrolments[args[0] % len(enrolments)].pk)
            services.withdraw(enrolment=enrolment, by=admin, reason="op vraag")
        elif name == "enrol":
            enrolment = services.enrol(
                participant=newcomers[args[0]], module=modules[args[1]], by=admin
            )
            if enrolment.pk not in {e.pk for e in enrolments}:
                enrolments.append(enrolment)
        elif name == "capacity":  # more places: the waiting list moves up
            module = Module.objects.get(pk=modules[args[0]].pk)
            module.capacity = args[1]
            if args[2] == "admin":
                _admin_save(admin, module)
            else:  # as services.save_module: save, then fill the free places
                module.save(update_fields=["capacity"])
                services.fill_free_places(module=module)
        elif name == "from_waitlist":
            waiting = Enrolment.objects.filter(module=modules[args[0]], status="waitlisted")
            if waiting.exists():
                services.enrol_from_waitlist(
                    enrolment=waiting.order_by("-waitlist_position").first(),
                    by=admin,
                    reason="voorrang",
                )
        elif name == "close":
            module = Module.objects.get(pk=modules[args[0]].pk)
            present = {e.pk: "present" for e in module.enrolments.filter(status="enrolled")}
            for session in module.sessions.filter(status="planned"):
                services.record_attendance(session=session, marks=present, by=admin)
            services.close_module(module=module, by=admin)
        elif name == "agreement":
            module = Module.objects.get(pk=modules[args[0]].pk)
            module.partnership = partnerships[args[1]]
            _admin_save(admin, module)
        elif name == "lead":
            # An agreement gets another lead partner: the other agreement's, or a new one.
            partnership = Partnership.objects.get(pk=partnerships[args[0]].pk)
            other = Partnership.objects.get(pk=partnerships[1 - args[0]].pk)
            partnership.lead_partner = (
                other.lead_partner if args[1] < 2 else f.PartnerOrganisationFactory()
            )
            _admin_save(admin, partnership)
    except DomainError:
        pass  # refused by the rules: nothing changed, the report must still agree


def _assert_report_equals_reference(admin):
    filters = ReportFilters(year_from=YEARS[0], year_to=YEARS[1])
    for breakdown in ("partner", "theme"):
        result = yearly_counts(user=admin, filters=filters, breakdown=breakdown)
        expected = reference_counts(filters, breakdown)
        assert {(r.year, r.key) for r in result.rows} == set(expected)
        for row in result.rows:
            _assert_row_equals(row, expected[(row.year, row.key)], plan=True)
    totals = reference_counts(filters, None)
    for year, row in result.totals.items() if result.totals else ():
        _assert_row_equals(row, totals.get((year, None), {}), plan=True)
    partner = yearly_counts(user=admin, filters=filters, breakdown="partner")
    for year, row in partner.totals.items():
        _assert_row_equals(row, totals.get((year, None), {}), plan=True)


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(step, min_size=1, max_size=8))
def test_rollup_report_equals_reference_after_every_write(admin, actions):
    with transaction.atomic():
        world = _world(admin)
        for action in actions:
            _apply(action, admin, *world)
            _assert_report_equals_reference(admin)
        transaction.set_rollback(True)


def test_rebuild_is_idempotent_and_equals_the_kept_rollup(admin):
    _partnerships, modules, sessions, enrolments, _newcomers = _world(admin)
    services.record_attendance(
        session=sessions[0],
        marks={enrolments[0].pk: "present", enrolments[1].pk: "absent"},
        by=admin,
    )

    def snapshot():
        return (
            sorted(
                ReportAttendanceYear.objects.values_list(
                    "enrolment_id",
                    "year",
                    "participant_id",
                    "module_id",
                    "minutes",
                    "sessions_attended",
                )
            ),
            sorted(ReportSessionYear.objects.values_list("module_id", "year", "sessions")),
        )

    kept = snapshot()
    assert kept[0] == [
        (enrolments[0].pk, 2024, enrolments[0].participant_id, modules[0].pk, 180, 1)
    ]
    assert kept[1] == [(modules[0].pk, 2024, 1)]
    for _ in range(2):
        out = io.StringIO()
        call_command("rebuild_report_rollup", stdout=out)
        assert snapshot() == kept
        assert "1 enrolment-year rows, 1 module-year rows" in out.getvalue()


def test_an_admin_edit_that_moves_a_session_refreshes_both_modules(admin):
    _partnerships, modules, sessions, enrolments, _newcomers = _world(admin)
    services.record_attendance(session=sessions[0], marks={enrolments[0].pk: "present"}, by=admin)
    session = Session.objects.get(pk=sessions[0].pk)
    session.module = modules[1]
    _admin_save(admin, session)
    assert not ReportSessionYear.objects.filter(module=modules[0]).exists()
    assert not ReportAttendanceYear.objects.filter(module=modules[0]).exists()
    assert list(ReportSessionYear.objects.values_list("module_id", "sessions")) == [
        (modules[1].pk, 1)
    ]
    _assert_report_equals_reference(admin)


def test_every_change_of_an_enrolments_status_keeps_the_counts(admin):
    """Each service that changes an enrolment's status, in an order where each changes the
    second module's counts; the report equals the reference after every step."""
    world = _world(admin)
    _partnerships, modules, _sessions, _enrolments, _newcomers = world
    seen = []

    def step(*action):
        _apply(action, admin, *world)
        _assert_report_equals_reference(admin)
        row = ReportModuleEnrolments.objects.filter(module=modules[1]).first()
        seen.append((row.enrolments, row.completions) if row else (0, 0))

    step("record", 3, ["present", "present", "present"])  # a held session: a report row
    step("withdraw", 3)  # nobody waits: one place fewer taken
    step("enrol", 0, 1)  # the same client again (the withdrawn enrolment reused)
    step("enrol", 1, 1)  # full: waitlisted
    step("enrol", 2, 1)  # waitlisted
    step("capacity", 1, 5, "app")  # one more place: the first waiting is promoted
    # A free place the waiting list did not get (capacity is no rollup input: a plain update).
    Module.objects.filter(pk=modules[1].pk).update(capacity=6)
    step("from_waitlist", 1)
    step("close", 1)
    assert seen[:-1] == [(4, 0), (3, 0), (4, 0), (4, 0), (4, 0), (5, 0), (6, 0)]
    assert seen[-1][0] == 6 and seen[-1][1] > 0


def test_the_attendance_rollup_follows_lead_partners_and_agreements(admin):
    """The attendance rows carry their module's lead partner (the report by partner counts
    from it): a new lead partner of an agreement and a module moved to another agreement are
    followed at once, whoever saves them."""
    world = _world(admin)
    partnerships, modules, _sessions, _enrolments, _newcomers = world

    def leads():
        return set(ReportAttendanceYear.objects.values_list("module_id", "lead_partner_id"))

    _apply(("record", 0, ["present", "present", "present"]), admin, *world)
    _apply(("record", 3, ["present", "present", "present"]), admin, *world)
    assert leads() == {
        (modules[0].pk, partnerships[0].lead_partner_id),
        (modules[1].pk, partnerships[1].lead_partner_id),
    }
    _apply(("lead", 0, 2), admin, *world)  # agreement 0 gets a new lead partner
    new_lead = Partnership.objects.get(pk=partnerships[0].pk).lead_partner_id
    assert new_lead != partnerships[0].lead_partner_id
    assert (modules[0].pk, new_lead) in leads()
    _assert_report_equals_reference(admin)
    _apply(("agreement", 1, 0), admin, *world)  # module 1 moves to agreement 0
    assert leads() == {(modules[0].pk, new_lead), (modules[1].pk, new_lead)}
    _assert_report_equals_reference(admin)
    # Saved outside the admin too (a service or a form): the same receiver.
    module = Module.objects.get(pk=modules[1].pk)
    module.partnership = partnerships[1]
    module.save()
    assert (modules[1].pk, partnerships[1].lead_partner_id) in leads()
    _assert_report_equals_reference(admin)
    partnership = Partnership.objects.get(pk=partnerships[0].pk)
    partnership.lead_partner = f.PartnerOrganisationFactory()
    partnership.save()
    assert leads() == {
        (modules[0].pk, partnership.lead_partner_id),
        (modules[1].pk, partnerships[1].lead_partner_id),
    }
    _assert_report_equals_reference(admin)


def test_a_save_of_other_fields_leaves_the_rollup_alone_and_a_partial_save_is_followed(admin):
    """A lifecycle step saves a module's status only (`update_fields`): the lead partner
    cannot have changed, so the rollup is not touched; a partial save that does write the
    agreement or the lead partner is followed like a full one."""
    world = _world(admin)
    partnerships, modules, *_rest = world
    _apply(("record", 0, ["present", "present", "present"]), admin, *world)

    def leads():
        return set(ReportAttendanceYear.objects.values_list("module_id", "lead_partner_id"))

    module = Module.objects.get(pk=modules[0].pk)
    partnership = Partnership.objects.get(pk=partnerships[0].pk)
    with CaptureQueriesContext(connection) as saves:
        module.save(update_fields=["title"])
        partnership.save(update_fields=["title"])
    assert not [q for q in saves.captured_queries if "reportattendanceyear" in q["sql"]]

    module.partnership = partnerships[1]
    module.save(update_fields=["partnership"])
    assert leads() == {(module.pk, partnerships[1].lead_partner_id)}
    other = Partnership.objects.get(pk=partnerships[1].pk)
    other.lead_partner = f.PartnerOrganisationFactory()
    other.save(update_fields=["lead_partner_id"])
    assert leads() == {(module.pk, other.lead_partner_id)}
    _assert_report_equals_reference(admin)
