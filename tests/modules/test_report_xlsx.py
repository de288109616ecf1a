"""The report's XLSX export, read back with openpyxl (issue 13's export items, issue 10's
writer): Dutch headings, widths that fit, percentages as percentages, hours with one
decimal, a second sheet with the definitions in the interface language."""

import io

import openpyxl
import pytest
from django.urls import reverse

from modules import xlsx
from tests.modules.test_reports_counts import build_report_data

URL = reverse("modules:yearly_report")


@pytest.fixture
def workbook(client, manager, office_a, office_b, organisation_a):
    build_report_data(office_a, office_b, organisation_a)
    client.force_login(manager)
    client.cookies["django_language"] = "nl"
    params = {"year_from": "2024", "year_to": "2025", "breakdown": "office", "export": "xlsx"}
    response = client.get(URL, params)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_dutch_headings_and_number_formats(workbook):
    table = workbook.worksheets[0]
    assert table.title == "Rapport"
    headings = [cell.value for cell in table[1]]
    assert headings[:3] == ["Jaar", "Kantoor", "Sessies"]
    assert "sessions" not in headings and "participant_hours" not in headings
    assert all(cell.font.b for cell in table[1])
    column = {heading: index for index, heading in enumerate(headings)}
    hours = [row[column["Deelnemersuren"]] for row in table.iter_rows(min_row=2)]
    realised = [row[column["Gerealiseerd (%)"]] for row in table.iter_rows(min_row=2)]
    assert {cell.number_format for cell in hours} == {"0.0"}
    with_plan = [cell for cell in realised if cell.value is not None]
    assert with_plan, "the data has a plan"
    assert {cell.number_format for cell in with_plan} == {"0.0%"}
    assert all(0 <= cell.value < 5 for cell in with_plan)  # a fraction, not 87.5
    assert table.freeze_panes == "C2"


def test_column_widths_fit_the_longest_text(workbook):
    table = workbook.worksheets[0]
    for index, cells in enumerate(table.iter_cols(values_only=True)):
        letter = xlsx.column_letter(index)
        longest = max(len(str(v)) for v in cells if v is not None)
        width = table.column_dimensions[letter].width
        assert min(longest, 43) <= width <= max(longest, 4) + 2, (letter, longest, width)


def test_second_sheet_defines_every_column_in_dutch(workbook):
    about = workbook.worksheets[1]
    assert about.title == "Filters en definities"
    rows = [row for row in about.iter_rows(values_only=True) if any(row)]
    definitions = dict(row for row in rows if row[0] and row[1])
    headings = [cell.value for cell in workbook.worksheets[0][1]][2:]
    for heading in headings:
        assert heading in definitions, heading
    assert "aanwezig" in definitions["Deelnemers"].lower()


def test_the_writer_escapes_text_and_names_columns_past_z():
    sheet = xlsx.Sheet("A/B: test", styles=[xlsx.TEXT, xlsx.INTEGER])
    sheet.append(["<b>&\x01", 3])
    content = xlsx.workbook([sheet, xlsx.Sheet("A/B: test")])
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["A B  test", "A B  test 2"]
    assert book.worksheets[0]["A1"].value == "<b>&"
    assert book.worksheets[0]["B1"].value == 3
    assert [xlsx.column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def _cell_widths(content: bytes) -> dict[str, float]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {
        letter: dimension.width
        for letter, dimension in book.worksheets[0].column_dimensions.items()
    }


def test_number_columns_are_as_wide_as_their_longest_number_either_side_of_zero():
    """The writer sizes integer, hour and share columns from their largest and smallest
    number (not per cell): the width is the longest shown number + 2, a negative one
    included; a text that comes back in several rows is written in each."""
    from decimal import Decimal

    styles = [xlsx.INTEGER, xlsx.ONE_DECIMAL, xlsx.INTEGER, xlsx.PERCENT, xlsx.TEXT]
    rows = [
        (7, Decimal("1.25"), 5, Decimal("0.875"), "OCMW Gent"),
        (123456, Decimal("9.95"), -1234567, Decimal("12.5"), "CAW <Oost>"),
        (-98, Decimal("-0.5"), 3, Decimal("-0.02"), "OCMW Gent"),
        (None, Decimal("12345.67"), 1, None, "CAW <Oost>"),
    ]
    for heading, expected_a in (("n", 8), ("a long heading", 16)):
        # Both orders of the rows: nothing depends on which number came first.
        for ordered in (rows, rows[::-1]):
            sheet = xlsx.Sheet("t", styles=styles, max_width=90)
            sheet.append([heading, "h", "m", "p", "t"])
            for row in ordered:
                sheet.append(row)
            content = xlsx.workbook([sheet])
            # "123456" (6), "12345.7" (7), "-1234567" (8), "1250.0%" (7), "CAW <Oost>" (10)
            assert _cell_widths(content) == {"A": expected_a, "B": 9, "C": 10, "D": 9, "E": 12}
            table = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
            assert [cell.value for cell in table["E"]][1:] == [row[4] for row in ordered]
            assert [cell.value for cell in table["D"]][1:] == [
                None if row[3] is None else float(row[3]) for row in ordered
            ]
