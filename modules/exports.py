"""The yearly report as an XLSX file (issue 10: fast; issue 13: readable).

The first sheet has column headings in the interface language (Dutch for the agency), column
widths that fit, hours with one decimal and the realised share as a percentage; the second
sheet the filters, the definitions of every column (in the interface language) and the notes
for this table. The CSV export keeps machine column names (`sessions`, `participant_hours`)
for scripts: docs/reports.md says so.
"""

from decimal import Decimal
from operator import attrgetter

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import xlsx
from .queries import REPORT_COLUMNS, ReportResult

_STYLE = {"participant_hours": xlsx.ONE_DECIMAL, "realised_pct": xlsx.PERCENT}

# OWASP: a cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert in a spreadsheet: a leading ' before a formula character."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _share(percent):
    """87.5 (%) → 0.875, which the cell's percentage format shows as 87,5 %."""
    return None if percent is None else Decimal(percent) / 100


def report_workbook(
    result: ReportResult, summary: list[tuple[str, str]], definitions, notes
) -> bytes:
    """`definitions`: (column, label, definition) per column; `notes`: texts for this table."""
    labels = {column: str(label) for column, label, _definition in definitions}
    table = xlsx.Sheet(
        _("Report"),
        styles=[xlsx.INTEGER, xlsx.TEXT]
        + [_STYLE.get(column, xlsx.INTEGER) for column in REPORT_COLUMNS],
        freeze=(1, 2),
        max_width=45,
    )
    table.append(
        [_("Year"), capfirst(str(result.breakdown.verbose_name))]
        + [labels.get(column, column) for column in REPORT_COLUMNS]
    )
    # One attrgetter for the columns and only the one column that needs it converted:
    # ~9,000 rows for ten years by partner.
    columns = attrgetter(*REPORT_COLUMNS)
    pct = REPORT_COLUMNS.index("realised_pct")
    for row in result.table():
        values = list(columns(row))
        values[pct] = _share(values[pct])
        table.append([row.year, neutralise(row.label), *values])

    about = xlsx.Sheet(_("Filters and definitions"), styles=[xlsx.TEXT, xlsx.TEXT], max_width=90)
    about.append([_("Filter"), _("Value")])
    for name, value in summary:
        about.append([neutralise(str(name)), neutralise(str(value))])
    about.append([])
    about.append([_("Column"), _("Definition")])
    for _column, label, definition in definitions:
        about.append([str(label), str(definition)])
    for note in notes:
        about.append([_("Note"), str(note)])
    return xlsx.workbook([table, about])
