"""Reads for the yearly report's page only (issue 13): the totals behind the headline and the
planned-against-held chart. Built on `yearly_counts`; the counting itself stays in
reports.py (one rule, one place)."""

from dataclasses import replace

from .reports import ReportFilters, ReportResult, ReportRow, yearly_counts


def report_totals(*, user, result: ReportResult) -> dict[int, ReportRow]:
    """Totals per year for the report's years, and the year before the last one.

    The result's own totals when they cover that (no extra query); otherwise one
    `yearly_counts` without rows (themes have no total row; a one-year report has no
    year before in it).
    """
    filters: ReportFilters = result.filters
    totals = result.totals or {}
    if totals and filters.year_to - 1 in totals:
        return totals
    year_from = filters.year_from
    if filters.year_from == filters.year_to:
        year_from = filters.year_to - 1
    wider = replace(filters, year_from=year_from)
    return yearly_counts(user=user, filters=wider, with_rows=False).totals or {}
