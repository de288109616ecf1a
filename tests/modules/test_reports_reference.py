"""The optimised yearly counts equal a plain, obviously right ORM version, on generated data.

The data comes from the benchmark's generator (bench/generate.py) at a tiny scale and its
fixed reference date, so this also checks that the generator still runs. Every breakdown,
every filter alone, and the total rows are compared.
"""

import datetime
import importlib.util
from pathlib import Path

import pytest
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import ExtractYear

from modules.models import Attendance, Enrolment, Module, Session, Theme
from modules.queries import BREAKDOWNS, REPORT_COLUMNS, ReportFilters, yearly_counts
from partnerships.models import Office, PlanTarget

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference_counts(filters: ReportFilters, breakdown: str | None) -> dict:
    """{(year, key): {column: value}} with one COUNT(DISTINCT) query per number; with no
    breakdown, the key is None and the rows are the year totals."""
    bd = BREAKDOWNS[breakdown] if breakdown else None
    years = (filters.year_from, filters.year_to)
    agreement = {}  # the filters a plan target follows too
    if filters.office_id:
        agreement["partnership__office_id"] = filters.office_id
    if filters.partner_kind:
        agreement["partnership__lead_partner__kind"] = filters.partner_kind
    if filters.partner_id:
        agreement["partnership__lead_partner_id"] = filters.partner_id
    module_only = {}
    if filters.offer_type:
        module_only["offer_type"] = filters.offer_type
    if filters.language:
        module_only["language"] = filters.language

    def mq(prefix):
        q = Q(**{prefix + k: v for k, v in {**agreement, **module_only}.items()})
        if filters.theme_id:
            themed = Module.objects.filter(themes__id=filters.theme_id).values("pk")
            q &= Q(**{prefix + "id__in": themed})
        return q

    def key(prefix):
        return F(prefix + bd.path) if bd else Value(None, output_field=IntegerField())

    out: dict = {}

    def add(queryset, **aggregates):
        for row in queryset.order_by().values(*aggregates.pop("_group")).annotate(**aggregates):
            found = (row.pop("year"), row.pop("key"))
            if bd and bd.name == "theme" and filters.theme_id and found[1] != filters.theme_id:
                continue  # the other themes of the modules that have the filtered theme
            out.setdefault(found, {}).update(row)

    held = Session.objects.filter(status="held", date__year__range=years).filter(mq("module__"))
    group = ["year", "key"]
    add(
        held.annotate(year=ExtractYear("date"), key=key("module__")),
        _group=group,
        sessions=Count("id", distinct=True),
        modules=Count("module_id", distinct=True),
    )
    add(
        held.filter(
            module__enrolments__status__in=["enrolled", "completed", "not_completed", "no_show"]
        ).annotate(year=ExtractYear("date"), key=key("module__")),
        _group=group,
        enrolments=Count("module__enrolments", distinct=True),
    )
    present = Attendance.objects.filter(
        status="present", session__status="held", session__date__year__range=years
    ).filter(mq("session__module__"))
    add(
        present.annotate(year=ExtractYear("session__date"), key=key("session__module__")),
        _group=group,
        participants=Count("enrolment__participant_id", distinct=True),
    )
    # Hours the slow way: every present attendance, its session's length in Python.
    for row in present.values(
        "session__date", "session__start_time", "session__end_time", key=key("session__module__")
    ):
        if bd and bd.name == "theme" and filters.theme_id and row["key"] != filters.theme_id:
            continue
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
        .annotate(year=ExtractYear("last"), key=key("module__")),
        _group=group,
        completions=Count("id", distinct=True),
    )
    if not module_only and not filters.theme_id and (bd is None or bd.plan_by_breakdown):
        add(
            PlanTarget.objects.filter(year__range=years, **agreement).annotate(
                key=F(bd.path) if bd else Value(None, output_field=IntegerField())
            ),
            _group=group,
            planned_sessions=Sum("planned_sessions"),
        )
    return out


@pytest.fixture
def generated(db):
    counts = _load_generator().generate(scale=0.002, seed=7)
    assert counts["attendance"] > 500
    return counts


def _filters():
    """Every filter of the report, each alone, over the generated data."""
    this_year = _load_generator().REFERENCE_DATE.year
    office = Office.objects.order_by("pk").first()
    busiest = (
        Module.objects.filter(sessions__status="held")
        .values("partnership__lead_partner_id")
        .annotate(n=Count("id"))
        .order_by("-n", "partnership__lead_partner_id")
        .first()["partnership__lead_partner_id"]
    )
    theme = Theme.objects.order_by("pk").first()
    language = Module.objects.values_list("language", flat=True).order_by("language").first()
    years = {"year_from": this_year - 9, "year_to": this_year}
    return [
        ReportFilters(**years),
        ReportFilters(year_from=this_year - 3, year_to=this_year, partner_kind="ocmw"),
        ReportFilters(year_from=this_year - 9, year_to=this_year - 2, office_id=office.pk),
        ReportFilters(**years, partner_id=busiest),
        ReportFilters(**years, theme_id=theme.pk),
        ReportFilters(**years, offer_type="partial_mo"),
        ReportFilters(**years, language=language),
    ]


def _assert_row_equals(row, want, *, plan: bool):
    where = (row.year, row.key, row.is_total)
    for column in ("sessions", "modules", "participants", "enrolments", "completions"):
        assert getattr(row, column) == want.get(column, 0), (*where, column)
    assert float(row.participant_hours) == pytest.approx(want.get("hours", 0), abs=0.01), where
    if plan:
        assert (row.planned_sessions or 0) == (want.get("planned_sessions") or 0), where


@pytest.mark.parametrize("breakdown", list(BREAKDOWNS))
def test_optimised_counts_equal_the_reference(admin, generated, breakdown):
    bd = BREAKDOWNS[breakdown]
    for filters in _filters():
        result = yearly_counts(user=admin, filters=filters, breakdown=breakdown)
        expected = reference_counts(filters, breakdown)
        assert result.rows or not expected, filters
        assert {(r.year, r.key) for r in result.rows} == set(expected), filters
        for row in result.rows:
            _assert_row_equals(
                row, expected[(row.year, row.key)], plan=bd.plan_by_breakdown and result.plan_shown
            )
        if result.rows:
            assert set(REPORT_COLUMNS) <= set(dir(result.rows[0]))
        # The total rows (none for themes, whose rows overlap) against their own reference.
        if bd.overlapping:
            assert result.totals is None
            continue
        totals = reference_counts(filters, None)
        assert set(result.totals) == set(filters.years)
        for year, row in result.totals.items():
            assert row.is_total
            _assert_row_equals(row, totals.get((year, None), {}), plan=result.plan_shown)


def test_every_filter_finds_rows(admin, generated):
    """The filters above are not vacuous: each keeps some held sessions and drops others."""
    everything = yearly_counts(user=admin, filters=_filters()[0], breakdown="office")
    all_sessions = sum(row.sessions for row in everything.totals.values())
    for filters in _filters()[1:]:
        found = yearly_counts(user=admin, filters=filters, breakdown="language")
        sessions = sum(row.sessions for row in found.rows)
        assert 0 < sessions < all_sessions, filters


@pytest.mark.parametrize("breakdown", list(BREAKDOWNS))
def test_a_page_of_the_report_counts_exactly_its_keys_rows(admin, generated, breakdown):
    """The report page counts participants only for the breakdown values on its page: every
    page's rows are exactly the full report's rows of those values (themes overlap: a module
    on the page brings other themes too, which must not show), and the pages together list
    every value once, in the full table's order."""
    filters = _filters()[0]
    full = yearly_counts(user=admin, filters=filters, breakdown=breakdown)
    by_key = {(row.year, row.key): row for row in full.rows}
    per_page = 1 if len(full.keys) <= 3 else 2
    assert len(full.keys) > per_page, "the generated data must need several pages"
    seen = []
    for number in range(1, -(-len(full.keys) // per_page) + 1):
        paged = yearly_counts(
            user=admin, filters=filters, breakdown=breakdown, page=number, per_page=per_page
        )
        on_page = list(paged.page.object_list)
        assert paged.page.number == number
        assert paged.keys == full.keys
        assert {row.key for row in paged.rows} <= set(on_page)
        assert [(r.year, r.key) for r in paged.rows] == [
            (r.year, r.key) for r in full.rows if r.key in on_page
        ]
        for row in paged.rows:
            assert row.values() == by_key[(row.year, row.key)].values(), (row.year, row.key)
        assert paged.held == full.held
        if full.totals is not None:
            assert {y: r.values() for y, r in paged.totals.items()} == {
                y: r.values() for y, r in full.totals.items()
            }
        seen.extend(on_page)
    assert seen == full.keys
