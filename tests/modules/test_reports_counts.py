"""A hand-built data set for the yearly report, small enough to count by hand.

Two years (2024, 2025), two offices. The right answers are written out in the tests.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from modules.models import Attendance, Enrolment, Module, Session
from modules.queries import ReportFilters, ReportRow, yearly_counts, yearly_totals
from partnerships.models import PartnerOrganisation
from tests import factories as f

HELD, CANCELLED, PLANNED = Session.Status.HELD, Session.Status.CANCELLED, Session.Status.PLANNED
PRESENT, ABSENT, EXCUSED = (
    Attendance.Status.PRESENT,
    Attendance.Status.ABSENT,
    Attendance.Status.EXCUSED,
)


@dataclass
class ReportData:
    office_a: object
    office_b: object
    ocmw: object
    vdab: object
    caw: object
    housing: object
    work: object
    health: object
    m1: object
    m2: object
    m3: object


def _session(module, day, start, end, status=HELD):
    return f.SessionFactory(
        module=module,
        date=day,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        status=status,
    )


def build_report_data(office_a, office_b, ocmw) -> ReportData:
    """`ocmw` is the lead partner of office A's first agreement (kind OCMW)."""
    vdab = f.PartnerOrganisationFactory(name="VDAB Antwerpen", kind=PartnerOrganisation.Kind.VDAB)
    caw = f.PartnerOrganisationFactory(
        name="CAW Oost-Vlaanderen", kind=PartnerOrganisation.Kind.CAW
    )
    housing = f.ThemeFactory(code="housing", name="Housing")
    work = f.ThemeFactory(code="work", name="Work")
    health = f.ThemeFactory(code="health", name="Health")

    # P1 has two partners; its modules count once, under the lead partner (the OCMW).
    p1 = f.PartnershipFactory(office=office_a, lead_partner=ocmw, partners=[vdab])
    p2 = f.PartnershipFactory(office=office_a, lead_partner=vdab)
    p3 = f.PartnershipFactory(office=office_b, lead_partner=caw)
    # Plans for 2024 only: 2025 is a year without a plan.
    f.PlanTargetFactory(
        partnership=p1, year=2024, planned_sessions=4, planned_modules=2, planned_participants=5
    )
    f.PlanTargetFactory(
        partnership=p2, year=2024, planned_sessions=2, planned_modules=1, planned_participants=3
    )
    f.PlanTargetFactory(
        partnership=p3, year=2024, planned_sessions=10, planned_modules=3, planned_participants=20
    )

    # M1 runs across the turn of the year and has two themes.
    m1 = f.ModuleFactory(
        partnership=p1,
        themes=[housing, work],
        offer_type=Module.OfferType.MO_WITHOUT_TRAJECTORY,
        language="nl",
    )
    s1 = _session(m1, datetime.date(2024, 12, 31), (9, 0), (12, 0))  # 3 h
    s2 = _session(m1, datetime.date(2025, 1, 1), (13, 30), (15, 0))  # 1.5 h
    s3 = _session(m1, datetime.date(2025, 1, 8), (9, 0), (12, 0), CANCELLED)
    _session(m1, datetime.date(2025, 1, 15), (9, 0), (12, 0), PLANNED)

    m2 = f.ModuleFactory(
        partnership=p2, themes=[health], offer_type=Module.OfferType.PARTIAL_MO, language="fr"
    )
    s5 = _session(m2, datetime.date(2024, 6, 3), (9, 0), (11, 0))  # 2 h
    s6 = _session(m2, datetime.date(2024, 6, 10), (9, 0), (11, 0))  # 2 h

    m3 = f.ModuleFactory(
        partnership=p3, themes=[housing], offer_type=Module.OfferType.PARTIAL_MO, language="nl"
    )
    s7 = _session(m3, datetime.date(2024, 3, 1), (10, 0), (12, 0))  # 2 h

    alice = f.ParticipantFactory(organisation=ocmw)  # in two modules: one participant
    bob = f.ParticipantFactory(organisation=ocmw)
    carol = f.ParticipantFactory(organisation=ocmw)
    dave = f.ParticipantFactory(organisation=vdab)
    erin = f.ParticipantFactory(organisation=vdab)
    frank = f.ParticipantFactory(organisation=caw)

    e = Enrolment.Status
    alice_m1 = f.EnrolmentFactory(participant=alice, module=m1, status=e.COMPLETED)
    bob_m1 = f.EnrolmentFactory(participant=bob, module=m1, status=e.ENROLLED)
    f.EnrolmentFactory(participant=carol, module=m1, status=e.WITHDRAWN)
    alice_m2 = f.EnrolmentFactory(participant=alice, module=m2, status=e.COMPLETED)
    dave_m2 = f.EnrolmentFactory(participant=dave, module=m2, status=e.NO_SHOW)
    f.EnrolmentFactory(participant=erin, module=m2, status=e.WAITLISTED, waitlist_position=1)
    frank_m3 = f.EnrolmentFactory(participant=frank, module=m3, status=e.ENROLLED)

    for enrolment, session, status in [
        (alice_m1, s1, PRESENT),
        (bob_m1, s1, ABSENT),
        (alice_m1, s2, PRESENT),
        (bob_m1, s2, PRESENT),
        (alice_m1, s3, PRESENT),  # recorded at a cancelled session: not counted
        (alice_m2, s5, PRESENT),
        (dave_m2, s5, EXCUSED),
        (alice_m2, s6, PRESENT),
        (dave_m2, s6, ABSENT),
        (frank_m3, s7, PRESENT),
    ]:
        f.AttendanceFactory(enrolment=enrolment, session=session, status=status)

    return ReportData(office_a, office_b, ocmw, vdab, caw, housing, work, health, m1, m2, m3)


# --- the tests ------------------------------------------------------------------------------

COLUMNS = (
    "sessions",
    "modules",
    "participants",
    "enrolments",
    "completions",
    "participant_hours",
    "planned_sessions",
    "planned_modules",
    "planned_participants",
    "realised_pct",
)
Y24_25 = ReportFilters(year_from=2024, year_to=2025)


def D(value):
    return None if value is None else Decimal(value)


def table(result):
    """{(year, label): (sessions, ..., realised_pct)} for easy comparison."""
    return {
        (row.year, row.label): tuple(getattr(row, c) for c in COLUMNS) for row in result.table()
    }


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def data(office_a, office_b, organisation_a):
    return build_report_data(office_a, office_b, organisation_a)


def test_counts_by_partner_kind_follow_the_definitions(manager, data):
    result = yearly_counts(user=manager, filters=Y24_25, breakdown="partner_kind")
    assert table(result) == {
        # sessions, modules, participants, enrolments, completions, hours, planned s/m/p, %
        (2024, "CAW (centre for general welfare)"): (1, 1, 1, 1, 0, D("2"), 10, 3, 20, D("10")),
        (2024, "OCMW (public social welfare centre)"): (1, 1, 1, 2, 0, D("3"), 4, 2, 5, D("25")),
        (2024, "VDAB"): (2, 1, 1, 2, 1, D("4"), 2, 1, 3, D("100")),
        # alice is in two modules and counts once in the total.
        (2024, "Total"): (4, 3, 2, 5, 1, D("9"), 16, 6, 28, D("25")),
        (2025, "OCMW (public social welfare centre)"): (1, 1, 2, 2, 1, D("3"), 0, 0, 0, None),
        (2025, "Total"): (1, 1, 2, 2, 1, D("3"), 0, 0, 0, None),
    }
    # Order: per year the breakdown rows, then the total.
    assert [(r.year, r.is_total) for r in result.table()] == [
        (2024, False),
        (2024, False),
        (2024, False),
        (2024, True),
        (2025, False),
        (2025, True),
    ]


def test_counts_by_office_put_plans_beside_realised(manager, data):
    result = yearly_counts(user=manager, filters=Y24_25, breakdown="office")
    assert table(result) == {
        (2024, "Atlas Antwerpen (test)"): (3, 2, 1, 4, 1, D("7"), 6, 3, 8, D("50")),
        (2024, "IN-Gent (test)"): (1, 1, 1, 1, 0, D("2"), 10, 3, 20, D("10")),
        (2024, "Total"): (4, 3, 2, 5, 1, D("9"), 16, 6, 28, D("25")),
        (2025, "Atlas Antwerpen (test)"): (1, 1, 2, 2, 1, D("3"), 0, 0, 0, None),
        (2025, "Total"): (1, 1, 2, 2, 1, D("3"), 0, 0, 0, None),
    }


def test_counts_by_partner_use_the_lead_partner_only(manager, data):
    result = yearly_counts(user=manager, filters=Y24_25, breakdown="partner")
    rows = table(result)
    # VDAB is also a partner in the OCMW's agreement, but only its own agreement counts.
    assert rows[(2024, "VDAB Antwerpen")] == (2, 1, 1, 2, 1, D("4"), 2, 1, 3, D("100"))
    assert rows[(2024, "OCMW A")] == (1, 1, 1, 2, 0, D("3"), 4, 2, 5, D("25"))
    assert (2025, "VDAB Antwerpen") not in rows


def test_counts_by_theme_overlap_and_have_no_total(manager, data):
    result = yearly_counts(user=manager, filters=Y24_25, breakdown="theme")
    assert not result.has_total
    assert table(result) == {
        (2024, "Health"): (2, 1, 1, 2, 1, D("4"), None, None, None, None),
        (2024, "Housing"): (2, 2, 2, 3, 0, D("5"), None, None, None, None),
        (2024, "Work"): (1, 1, 1, 2, 0, D("3"), None, None, None, None),
        (2025, "Housing"): (1, 1, 2, 2, 1, D("3"), None, None, None, None),
        (2025, "Work"): (1, 1, 2, 2, 1, D("3"), None, None, None, None),
    }


def test_counts_by_offer_type_show_plans_on_the_total_row_only(manager, data):
    result = yearly_counts(user=manager, filters=Y24_25, breakdown="offer_type")
    rows = table(result)
    assert rows[(2024, "MO without trajectory")] == (1, 1, 1, 2, 0, D("3"), None, None, None, None)
    assert rows[(2024, "Partial MO")] == (3, 2, 2, 3, 1, D("6"), None, None, None, None)
    assert rows[(2024, "Total")] == (4, 3, 2, 5, 1, D("9"), 16, 6, 28, D("25"))


def test_counts_by_language(manager, data):
    rows = table(yearly_counts(user=manager, filters=Y24_25, breakdown="language"))
    assert rows[(2024, "Dutch")] == (2, 2, 2, 3, 0, D("5"), None, None, None, None)
    assert rows[(2024, "French")] == (2, 1, 1, 2, 1, D("4"), None, None, None, None)
    assert rows[(2025, "Dutch")] == (1, 1, 2, 2, 1, D("3"), None, None, None, None)


def test_filters_narrow_the_counts_and_plans(manager, data):
    filters = ReportFilters(year_from=2024, year_to=2025, partner_kind="vdab")
    rows = table(yearly_counts(user=manager, filters=filters, breakdown="office"))
    assert rows[(2024, "Total")] == (2, 1, 1, 2, 1, D("4"), 2, 1, 3, D("100"))
    assert rows[(2025, "Total")] == (0, 0, 0, 0, 0, D("0"), 0, 0, 0, None)


def test_theme_filter_hides_plans_and_other_themes(manager, data):
    filters = ReportFilters(year_from=2024, year_to=2024, theme_id=data.housing.pk)
    result = yearly_counts(user=manager, filters=filters, breakdown="theme")
    assert table(result) == {
        (2024, "Housing"): (2, 2, 2, 3, 0, D("5"), None, None, None, None),
    }
    totals = yearly_counts(user=manager, filters=filters, breakdown="office").totals
    # Plans are per agreement and cannot follow a theme filter.
    assert (totals[2024].sessions, totals[2024].planned_sessions) == (2, None)


def test_staff_and_office_managers_see_only_their_office(staff_b, manager_a, data):
    # staff_b asks for office A: the office filter is forced to their own office B.
    filters = ReportFilters(year_from=2024, year_to=2025, office_id=data.office_a.pk)
    rows = table(yearly_counts(user=staff_b, filters=filters, breakdown="office"))
    assert set(rows) == {(2024, "IN-Gent (test)"), (2024, "Total"), (2025, "Total")}
    assert rows[(2024, "Total")][0] == 1
    a_rows = table(yearly_counts(user=manager_a, filters=Y24_25, breakdown="office"))
    assert {label for _, label in a_rows} == {"Atlas Antwerpen (test)", "Total"}


def test_caseworker_gets_no_counts(caseworker_a, data):
    result = yearly_counts(user=caseworker_a, filters=Y24_25, breakdown="office")
    assert result.rows == []
    assert all(row.sessions == 0 for row in result.totals.values())


def test_yearly_totals_for_the_home_page(manager, data):
    totals = yearly_totals(user=manager, years=range(2024, 2026))
    assert (totals[2024].sessions, totals[2024].participant_hours) == (4, D("9"))
    assert (totals[2025].participants, totals[2025].modules) == (2, 1)


def test_participant_hours_count_minutes(manager, office_a, organisation_a):
    partnership = f.PartnershipFactory(office=office_a, lead_partner=organisation_a)
    module = f.ModuleFactory(partnership=partnership)
    session = _session(module, datetime.date(2024, 5, 6), (9, 15), (10, 5))  # 50 minutes
    for _ in range(3):
        f.AttendanceFactory(enrolment=f.EnrolmentFactory(module=module), session=session)
    totals = yearly_totals(user=manager, years=range(2024, 2025))
    assert totals[2024].participant_hours == D("2.50")


def _spread_over_years(office, organisation, years):
    theme = f.ThemeFactory(code="spread", name="Spread")
    partnership = f.PartnershipFactory(office=office, lead_partner=organisation)
    for year in years:
        f.PlanTargetFactory(partnership=partnership, year=year)
        module = f.ModuleFactory(partnership=partnership, themes=[theme])
        for month in (3, 9):
            session = _session(module, datetime.date(year, month, 2), (9, 0), (12, 0))
            f.AttendanceFactory(enrolment=f.EnrolmentFactory(module=module), session=session)


@pytest.mark.parametrize("breakdown", ["partner_kind", "office", "partner", "theme", "language"])
def test_query_count_is_the_same_for_one_and_ten_years(
    manager, office_a, organisation_a, breakdown
):
    _spread_over_years(office_a, organisation_a, [2020])
    filters = ReportFilters(year_from=2017, year_to=2026)
    with CaptureQueriesContext(connection) as one_year:
        small = yearly_counts(user=manager, filters=filters, breakdown=breakdown)
    _spread_over_years(office_a, organisation_a, range(2017, 2027))
    with CaptureQueriesContext(connection) as ten_years:
        large = yearly_counts(user=manager, filters=filters, breakdown=breakdown)
    assert len(small.rows) == 1
    assert len(large.rows) == 10
    assert len(one_year) == len(ten_years) <= 10


@given(minutes=st.integers(min_value=0, max_value=10**9))
def test_participant_hours_are_minutes_over_sixty_half_up_to_hundredths(minutes):
    from decimal import ROUND_HALF_UP

    hours = ReportRow(2024, None, "", participant_minutes=minutes).participant_hours
    expected = (D(minutes) / 60).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert hours == expected and str(hours) == str(expected)
