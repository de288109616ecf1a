"""The yearly report for managers and staff: a table, a chart and exports of the same numbers.

Staff and office-bound managers count their own office only (the form and the query both
enforce it); caseworkers get 403. No personal data: only counts.
"""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from partnerships.access import ADMIN, MANAGER, STAFF, RoleRequiredMixin
from partnerships.queries import partner_choices

from ..exports import FORMULA_TRIGGERS, neutralise, report_workbook  # noqa: F401
from ..forms.reports import YearlyReportForm
from ..queries import (
    REPORT_COLUMNS,
    ReportResult,
    ReportRow,
    report_partners_for,
    report_totals,
    yearly_counts,
)

# The definitions, in plain language: on the page, in docs/reports.md and in the XLSX export.
DEFINITIONS = (
    ("sessions", _("Sessions"), _("Sessions that were held (not planned or cancelled) that year.")),
    ("modules", _("Modules"), _("Modules with at least one held session that year.")),
    (
        "participants",
        _("Participants"),
        _(
            "Different people who were present at a held session that year; someone in two "
            "modules counts once (in the total row)."
        ),
    ),
    (
        "enrolments",
        _("Enrolments"),
        _(
            "Enrolments (enrolled, completed or no-show; not waitlisted or withdrawn) in the "
            "modules that held a session that year. A module running over two years counts in both."
        ),
    ),
    (
        "completions",
        _("Completions"),
        _("Completed enrolments in modules whose last held session falls in that year."),
    ),
    (
        "participant_hours",
        _("Participant hours"),
        _(
            "For every presence at a held session that year, the length of that session in "
            "hours, added up. Absent or excused gives no hours."
        ),
    ),
    (
        "planned_sessions",
        _("Planned sessions"),
        _("Sessions planned for that year in the cooperation agreements' multi-year plans."),
    ),
    ("planned_modules", _("Planned modules"), _("Modules planned for that year.")),
    (
        "planned_participants",
        _("Planned participants"),
        _("Participants planned for that year."),
    ),
    (
        "realised_pct",
        _("Realised (%)"),
        _("Held sessions as a percentage of planned sessions; empty when nothing was planned."),
    ),
)


def _csv_number(value) -> str:
    """Belgian Excel reads ';'-separated files with a decimal comma."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(value)


def _filename(result: ReportResult, extension: str) -> str:
    f = result.filters
    return f"yearly-report-{f.year_from}-{f.year_to}-{result.breakdown.name}.{extension}"


def report_csv(result: ReportResult) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["year", result.breakdown.name, *REPORT_COLUMNS])
    for row in result.table():
        values = row.values()
        writer.writerow(
            [row.year, neutralise(row.label)]
            + [_csv_number(values[column]) for column in REPORT_COLUMNS]
        )
    # The BOM makes Excel read the file as UTF-8 (partner names have accents).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(result, "csv")}"'
    return response


def report_xlsx(result: ReportResult, summary: list[tuple[str, str]]) -> HttpResponse:
    content = report_workbook(result, summary, DEFINITIONS, notes_for(result))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(result, "xlsx")}"'
    return response


def notes_for(result: ReportResult) -> list:
    """What the reader must know to read this particular table right."""
    notes = [
        _(
            "Partner and partner kind: a module counts under the lead partner of its "
            "cooperation agreement, so the rows add up to the total."
        )
    ]
    if result.breakdown.overlapping:
        notes.append(
            _(
                "Themes: a module with several themes counts under each of them, so theme rows "
                "can overlap and there is no total row."
            )
        )
    if not result.plan_shown:
        notes.append(
            _(
                "Plans are made per cooperation agreement, not per theme, offer type or "
                "language: with such a filter the planned figures are not shown."
            )
        )
    elif not result.breakdown.plan_by_breakdown:
        notes.append(
            _(
                "Plans are made per cooperation agreement, not per theme, offer type or "
                "language: planned figures are only on the total rows."
            )
        )
    return notes


class ReportPartnerChoicesView(RoleRequiredMixin, View):
    """GET ?q=text: the report's partner filter as search-as-you-type (1,300 lead partners
    at Flanders scale): {"results": [{"id", "text"}]}, lead partners of visible agreements."""

    required_roles = (MANAGER, STAFF, ADMIN)

    def get(self, request):
        # The same queryset as the form's field: what is offered is what is accepted.
        partners = report_partners_for(request.user)
        results = partner_choices(partners, request.GET.get("q", ""))
        return JsonResponse({"results": results})


class YearlyReportView(RoleRequiredMixin, View):
    required_roles = (MANAGER, STAFF, ADMIN)

    def get(self, request):
        form = YearlyReportForm(request.GET, user=request.user)
        filters, breakdown = form.report_filters()
        summary = form.summary(filters, breakdown)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            result = yearly_counts(user=request.user, filters=filters, breakdown=breakdown)
            if export == "csv":
                return report_csv(result)
            return report_xlsx(result, summary)
        # The page counts only the rows of the breakdown values it shows.
        result = yearly_counts(
            user=request.user,
            filters=filters,
            breakdown=breakdown,
            page=request.GET.get("page") or 1,
        )
        query = request.GET.copy()
        for name in ("export", "page", "measure", "view"):
            query.pop(name, None)
        totals = report_totals(user=request.user, result=result)
        measure = request.GET.get("measure")
        if measure not in MEASURES:
            measure = "sessions"
        full = request.GET.get("view") == "full"
        rows_page = result.page
        table = result.table()
        chart_data = result.chart_data()
        chart_data["planned"] = {
            "label": str(_("Planned sessions")),
            "data": [
                (totals.get(y) or ReportRow(y, None, "")).planned_sessions for y in filters.years
            ],
        }
        return render(
            request,
            "modules/reports/yearly.html",
            {
                "form": form,
                "result": result,
                # The page's rows and the year totals (the exports hold every row).
                "table": table,
                "rows_page": rows_page,
                "measure": measure,
                "measures": [(c, label) for c, label, _d in DEFINITIONS],
                "measure_label": {c: label for c, label, _d in DEFINITIONS}[measure],
                "measure_table": measure_table(result, measure, rows_page.object_list),
                "full": full,
                "headline": headline(totals, filters.year_to, result.plan_shown),
                "chart_data": chart_data,
                "summary": summary,
                "all_label": str(_("All")),
                "definitions": DEFINITIONS,
                "notes": notes_for(result),
                "query": query.urlencode(),
            },
        )


# --- the page's presentation: headline, one measure with years as columns, pages of rows ---

MEASURES = set(REPORT_COLUMNS)


def measure_table(result: ReportResult, measure: str, keys) -> dict:
    """One measure, the breakdown values in rows and the years in columns, then the total."""
    years = list(result.filters.years)
    cells: dict = {}
    for row in result.rows:
        cells.setdefault(row.key, {})[row.year] = getattr(row, measure)
    rows = [
        {"label": result.labels[key], "values": [cells.get(key, {}).get(year) for year in years]}
        for key in keys
    ]
    total = None
    if result.totals is not None:
        total = [getattr(result.totals[year], measure) for year in years]
    return {"years": years, "rows": rows, "total": total}


def _change(now, before):
    """The change on the year before in % (None when there is nothing to compare with)."""
    if now is None or not before:
        return None
    return (Decimal(now - before) * 100 / before).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def headline(totals: dict, year: int, plan_shown: bool) -> dict:
    """The last year's totals beside the year before: sessions, participants, hours, realised."""
    now = totals.get(year) or ReportRow(year, None, "")
    before = totals.get(year - 1)
    figures = []
    for column, label in (
        ("sessions", _("Sessions")),
        ("participants", _("Participants")),
        ("participant_hours", _("Participant hours")),
    ):
        value = getattr(now, column)
        previous = getattr(before, column) if before else None
        figures.append(
            {
                "column": column,
                "label": label,
                "value": value,
                "change": _change(value, previous),
                "points": None,
            }
        )
    realised = now.realised_pct if plan_shown else None
    previous_pct = before.realised_pct if (before and plan_shown) else None
    figures.append(
        {
            "column": "realised_pct",
            "label": _("Realised against plan"),
            "value": realised,
            "change": None,
            # Percentages change in percentage points, not in %.
            "points": (realised - previous_pct)
            if realised is not None and previous_pct is not None
            else None,
        }
    )
    for figure in figures:
        moved = figure["points"] if figure["points"] is not None else figure["change"]
        figure["sign"] = "+" if moved is not None and moved > 0 else ""
    return {"year": year, "before": year - 1, "figures": figures}
