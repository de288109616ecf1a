"""The optimised yearly counts equal a plain, obviously right ORM version, on generated data.

The data comes from the benchmark's generator (bench/generate.py) at a tiny scale, so this
also checks that the generator still runs.
"""

import datetime
import importlib.util
from pathlib import Path

import pytest
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear

from modules.models import Attendance, Enrolment, Session
from modules.queries import BREAKDOWNS, REPORT_COLUMNS, ReportFilters, yearly_counts
from partnerships.models import Office, PlanTarget

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference_counts(filters: ReportFilters, breakdown: str) -> dict:
    """{(year, key): {column: value}} with one COUNT(DISTINCT) query per number."""
    bd = BREAKDOWNS[breakdown]
    years = (filters.year_from, filters.year_to)
    q = Q()
    if filters.office_id:
        q &= Q(partnership__office_id=filters.office_id)
    if filters.partner_kind:
        q &= Q(partnership__lead_partner__kind=filters.partner_kind)

    def mq(prefix):
        return Q(*[Q(**{prefix + k: v}) for k, v in q.children])

    out: dict = {}

    def add(queryset, **aggregates):
        for row in queryset.order_by().values(*aggregates.pop("_group")).annotate(**aggregates):
            key = (row.pop("year"), row.pop("key"))
            out.setdefault(key, {}).update(row)

    held = Session.objects.filter(status="held", date__year__range=years).filter(mq("module__"))
    group = ["year", "key"]
    add(
        held.annotate(year=ExtractYear("date"), key=F("module__" + bd.path)),
        _group=group,
        sessions=Count("id", distinct=True),
        modules=Count("module_id", distinct=True),
    )
    add(
        held.filter(module__enrolments__status__in=["enrolled", "completed", "no_show"]).annotate(
            year=ExtractYear("date"), key=F("module__" + bd.path)
        ),
        _group=group,
        enrolments=Count("module__enrolments", distinct=True),
    )
    present = Attendance.objects.filter(
        status="present", session__status="held", session__date__year__range=years
    ).filter(mq("session__module__"))
    add(
        present.annotate(year=ExtractYear("session__date"), key=F("session__module__" + bd.path)),
        _group=group,
        participants=Count("enrolment__participant_id", distinct=True),
    )
    # Hours the slow way: every present attendance, its session's length in Python.
    for row in present.values(
        "session__date",
        "session__start_time",
        "session__end_time",
        key=F("session__module__" + bd.path),
    ):
        start = datetime.datetime.combine(row["session__date"], row["session__start_time"])
        end = datetime.datetime.combine(row["session__date"], row["session__end_time"])
        counts = out.setdefault((row["session__date"].year, row["key"]), {})
        counts["hours"] = counts.get("hours", 0) + (end - start).total_seconds() / 3600
    last = Session.objects.filter(module=OuterRef("module_id"), status="held").order_by("-date")
    add(
        Enrolment.objects.filter(status="completed")
        .filter(mq("module__"))
        .annotate(last=Subquery(last.values("date")[:1]))
        .filter(last__year__range=years)
        .annotate(year=ExtractYear("last"), key=F("module__" + bd.path)),
        _group=group,
        completions=Count("id", distinct=True),
    )
    if bd.plan_by_breakdown:
        add(
            PlanTarget.objects.filter(year__range=years).filter(q).annotate(key=F(bd.path)),
            _group=group,
            planned_sessions=Sum("planned_sessions"),
        )
    return out


@pytest.fixture
def generated(db):
    counts = _load_generator().generate(scale=0.002, seed=7)
    assert counts["attendance"] > 500
    return counts


@pytest.mark.parametrize("breakdown", list(BREAKDOWNS))
def test_optimised_counts_equal_the_reference(admin, generated, breakdown):
    this_year = datetime.date.today().year
    office = Office.objects.order_by("pk").first()
    for filters in (
        ReportFilters(year_from=this_year - 9, year_to=this_year),
        ReportFilters(year_from=this_year - 3, year_to=this_year, partner_kind="ocmw"),
        ReportFilters(year_from=this_year - 9, year_to=this_year - 2, office_id=office.pk),
    ):
        result = yearly_counts(user=admin, filters=filters, breakdown=breakdown)
        expected = reference_counts(filters, breakdown)
        assert result.rows
        assert {(r.year, r.key) for r in result.rows} == set(expected)
        for row in result.rows:
            want = expected[(row.year, row.key)]
            for column in ("sessions", "modules", "participants", "enrolments", "completions"):
                assert getattr(row, column) == want.get(column, 0), (row.year, row.key, column)
            assert float(row.participant_hours) == pytest.approx(want.get("hours", 0), abs=0.01)
            if BREAKDOWNS[breakdown].plan_by_breakdown:
                assert (row.planned_sessions or 0) == (want.get("planned_sessions") or 0)
        assert set(REPORT_COLUMNS) <= set(dir(result.rows[0]))
