# ruff: noqa: E501 (the XML parts of the format read best on one line each)
"""A small, fast XLSX writer for the report exports (issue 10, issue 13).

The yearly report by partner over ten years is ~15,000 rows × 12 columns. openpyxl built
it in 1.7 s at Flanders scale (budget 0.5 s) and XlsxWriter took ~3 s under load
(docs/performance.md); this writes the few parts of the Office Open XML format that a
table needs, with the standard library only: inline strings (no shared-strings table),
one style per kind of number (integer, one decimal, percentage), column widths, a bold
frozen header row. Excel, LibreOffice and openpyxl read it (tests/modules/test_report_xlsx.py).
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

# Styles (cellXfs indices in STYLES below).
TEXT, HEADER, INTEGER, ONE_DECIMAL, PERCENT = 0, 1, 2, 3, 4
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"><alignment wrapText="1" vertical="top"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"><alignment wrapText="1" vertical="top"/></xf>
<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


@dataclass
class Sheet:
    title: str
    # Per column: the style of its numbers (INTEGER, ONE_DECIMAL, PERCENT) or TEXT.
    styles: list[int] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    max_width: int = 60
    freeze: tuple[int, int] | None = (1, 0)  # rows, columns kept in view

    def append(self, values) -> None:
        self.rows.append(list(values))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value) -> str:
    return escape(_ILLEGAL.sub("", str(value)))


def _shown_length(value, style: int) -> int:
    if value is None:
        return 0
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if style == PERCENT:
            return len(f"{float(value) * 100:.1f}%")
        if style == ONE_DECIMAL:
            return len(f"{float(value):.1f}")
        return len(str(value))
    # Wrapped text: the longest line, up to the column's maximum.
    return max((len(line) for line in str(value).splitlines()), default=0)


def _cell_rest(value, style: int) -> str:
    """A cell's XML after its reference: the same for every cell of the same value."""
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f' s="{style}"><v>{value}</v></c>'
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f' t="inlineStr"><is><t>{value.isoformat()}</t></is></c>'
    text = _text(value)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    text_style = style if style in (TEXT, HEADER) else TEXT
    return f' s="{text_style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _sheet_xml(sheet: Sheet) -> bytes:
    # Per cell only what differs per cell: ~100,000 cells for ten years by partner
    # (docs/performance.md, "The XLSX export"). Integers, hours and shares below the header take a
    # fast path: their column's width follows from its largest and smallest number (the
    # shown length grows with the distance from zero), not from formatting every cell;
    # a text's XML and length are worked out once per text.
    columns = max((len(values) for values in sheet.rows), default=0)
    letters = [column_letter(c) for c in range(columns)]
    styles = [sheet.styles[c] if c < len(sheet.styles) else TEXT for c in range(columns)]
    # The fast path per column: integers, or hours and shares, by the column's style.
    fast_int = [style == INTEGER for style in styles]
    fast_decimal = [style in (ONE_DECIMAL, PERCENT) for style in styles]
    opening = [f'<c r="{letter}' for letter in letters]
    closing = [f'" s="{style}"><v>' for style in styles]
    widths = [0] * columns
    highest: list = [None] * columns
    lowest: list = [None] * columns
    header_rows = sheet.freeze[0] if sheet.freeze else 0
    seen: dict[tuple, tuple[str, int]] = {}
    parts = []
    for r, values in enumerate(sheet.rows, start=1):
        cells = []
        row = str(r)
        header = r == 1 and header_rows >= 1
        for c, value in enumerate(values):
            kind = type(value)
            if not header and (
                (kind is int and fast_int[c]) or (kind is Decimal and fast_decimal[c])
            ):
                cells.append(f"{opening[c]}{row}{closing[c]}{value}</v></c>")
                if highest[c] is None or value > highest[c]:
                    highest[c] = value
                if lowest[c] is None or value < lowest[c]:
                    lowest[c] = value
                continue
            if value is None or value == "":
                continue
            style = HEADER if header else styles[c]
            # A text's XML after the reference and its length once per text (a partner's
            # name comes back in each of the ten years).
            known = seen.get((value, style)) if kind is str else None
            if known is None:
                known = (_cell_rest(value, style), _shown_length(value, style))
                if kind is str:
                    seen[(value, style)] = known
            rest, length = known
            cells.append(f'<c r="{letters[c]}{row}"{rest}')
            if length > widths[c]:
                widths[c] = length
        parts.append(f'<row r="{row}">{"".join(cells)}</row>')
    for c in range(columns):
        for bound in (highest[c], lowest[c]):
            if bound is not None:
                widths[c] = max(widths[c], _shown_length(bound, styles[c]))
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{min(max(w, 4) + 2, sheet.max_width)}" '
        f'customWidth="1"/>'
        for i, w in enumerate(widths)
    )
    view = ""
    if sheet.freeze:
        rows, columns = sheet.freeze
        top_left = f"{column_letter(columns)}{rows + 1}"
        pane = "bottomRight" if rows and columns else ("bottomLeft" if rows else "topRight")
        x = f' xSplit="{columns}"' if columns else ""
        y = f' ySplit="{rows}"' if rows else ""
        view = (
            f'<sheetViews><sheetView workbookViewId="0"><pane{x}{y} topLeftCell="{top_left}" '
            f'activePane="{pane}" state="frozen"/></sheetView></sheetViews>'
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{view}{f'<cols>{cols}</cols>' if cols else ''}<sheetData>{''.join(parts)}</sheetData>"
        "</worksheet>"
    )
    return xml.encode("utf-8")


def _safe_title(title: str, taken: set) -> str:
    """Sheet names: at most 31 characters, none of []:*?/\\, unique."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = f"{name[:28]} {n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def workbook(sheets: list[Sheet]) -> bytes:
    """The .xlsx file of these sheets."""
    taken: set = set()
    titles = [_safe_title(sheet.title, taken) for sheet in sheets]
    n = len(sheets)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        + "</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    book = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(
            f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(titles, start=1)
        )
        + "</sheets></workbook>"
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr("xl/styles.xml", STYLES)
        for i, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheet))
    return out.getvalue()
