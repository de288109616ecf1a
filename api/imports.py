"""Client import from a spreadsheet: read a CSV or XLSX file with tablib, check each row with
the same form as the registration page, and say per row what would happen.

Nothing here writes; `services.preview_client_import` and `services.run_client_import` do.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import asdict, dataclass, field
from typing import Any

import tablib
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from stdnum.be import nn
from tablib.formats._xlsx import XLSXFormat

from modules.forms.participants import ParticipantForm
from modules.queries import participants_visible_to
from partnerships.access import organisation_id_of

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
# An XLSX file is a zip: 5 MB packed can unpack to gigabytes (a "zip bomb"). A sheet of
# 2,000 clients unpacks to a few MB; refuse anything far beyond that before parsing it.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024

# (model field, Dutch header of the template, other accepted headers)
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("first_name", "voornaam", ("first name", "first_name", "prénom")),
    ("last_name", "achternaam", ("familienaam", "naam", "last name", "last_name", "nom")),
    ("date_of_birth", "geboortedatum", ("date of birth", "date_of_birth", "birth date")),
    ("gender", "geslacht", ("gender", "sexe")),
    ("nationality", "nationaliteit", ("nationality",)),
    ("languages", "talen", ("gesproken talen", "languages", "languages spoken")),
    ("phone", "telefoon", ("telefoonnummer", "gsm", "phone")),
    ("email", "e-mail", ("email", "e-mailadres", "mail")),
    (
        "national_register_number",
        "rijksregisternummer",
        ("rijksregister", "rrn", "national register number", "national_register_number"),
    ),
    (
        "consent_date",
        "toestemming gegeven op",
        ("toestemming", "datum toestemming", "consent date", "consent_date", "consent given on"),
    ),
)
REQUIRED_HEADERS = ("first_name", "last_name", "date_of_birth", "consent_date")
HEADER_OF = {name: dutch for name, dutch, _aliases in COLUMNS}
FIELD_OF_HEADER = {
    header: name
    for name, dutch, aliases in COLUMNS
    for header in (dutch, *aliases, name.replace("_", " "))
}
DATE_FIELDS = ("date_of_birth", "consent_date")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")
GENDERS = {
    "v": "f",
    "vrouw": "f",
    "f": "f",
    "female": "f",
    "m": "m",
    "man": "m",
    "male": "m",
    "x": "x",
    "ander": "x",
    "anders": "x",
    "other": "x",
}
HELP = (
    ("voornaam", _("Required.")),
    ("achternaam", _("Required.")),
    ("geboortedatum", _("Required. Day/month/year, e.g. 30/07/1985.")),
    ("geslacht", _("Optional: v (female), m (male) or x.")),
    ("nationaliteit", _("Optional.")),
    ("talen", _("Optional, e.g. Arabisch, Frans.")),
    ("telefoon", _("Optional.")),
    ("e-mail", _("Optional.")),
    ("rijksregisternummer", _("Optional. 11 digits, e.g. 85.07.30-033.28.")),
    (
        "toestemming gegeven op",
        _("Required: the date on which the client gave consent to store and use these data."),
    ),
)


class SpreadsheetError(Exception):
    """The file cannot be read as a client list; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- reading --------------------------------------------------------------------------------


def read_spreadsheet(upload) -> tuple[str, list[dict[str, Any]]]:
    """The rows of an uploaded .csv or .xlsx file as {"line": n, field: text}; blank rows
    are skipped. Raises SpreadsheetError with a message for the user."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > MAX_BYTES:
        raise SpreadsheetError(
            _("The file is larger than 5 MB. Split it into smaller files of at most %(n)s rows.")
            % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise SpreadsheetError(_("The file is larger than 5 MB."))
    if name.endswith(".xlsx"):
        file_format, dataset = "xlsx", _load_xlsx(content)
    elif name.endswith(".csv"):
        file_format, dataset = "csv", _load_csv(content)
    else:
        raise SpreadsheetError(_("Upload a .csv or .xlsx file (Excel: “Save as” one of those)."))
    return file_format, _rows(dataset)


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252: what Excel on a
    Belgian PC writes when it saves "CSV (separated by semicolons)"."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in content:
        raise SpreadsheetError(_("This file is not a CSV text file. Save it as CSV or XLSX."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _("The file's characters could not be read. Save it as “CSV UTF-8” and try again.")
        ) from None


def _load_csv(content: bytes) -> tablib.Dataset:
    text = _decode(content)
    header = text.split("\n", 1)[0]
    # Belgian Excel separates with semicolons, most other programs with commas.
    delimiter = max((";", ",", "\t"), key=header.count)
    try:
        return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except tablib.InvalidDimensions:
        raise SpreadsheetError(
            _("A row has more columns than the first (header) row. Check the separators.")
        ) from None
    except csv.Error:
        raise SpreadsheetError(_("The file could not be read as CSV.")) from None


def _load_xlsx(content: bytes) -> tablib.Dataset:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SpreadsheetError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(_("The workbook is too large once unpacked. Split it up."))
    dataset = tablib.Dataset()
    try:
        # data_only=False: a formula cell gives its text ("=A1+1"), never a computed or cached
        # value, so what is imported is what the sheet says, not what a formula produced.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            raise SpreadsheetError(_too_many(sheet.max_row - 1))
        XLSXFormat.import_sheet(dataset, sheet)
        workbook.close()
    except SpreadsheetError:
        raise
    except tablib.InvalidDimensions:
        raise SpreadsheetError(
            _("A row has more columns than the first (header) row. Remove the extra cells.")
        ) from None
    except Exception:  # any parser error of an untrusted file means "unreadable"
        raise SpreadsheetError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from None
    return dataset


def _too_many(count: int) -> str:
    return _(
        "The file has %(count)s rows; at most %(max)s rows can be imported at once. "
        "Split it into smaller files."
    ) % {"count": f"{count:,}".replace(",", "."), "max": f"{MAX_ROWS:,}".replace(",", ".")}


def _header_name(value) -> str:
    return " ".join(str(value or "").replace("_", " ").split()).strip().lower()


def _rows(dataset: tablib.Dataset) -> list[dict[str, Any]]:
    headers = dataset.headers or []
    fields = [FIELD_OF_HEADER.get(_header_name(h)) for h in headers]
    missing = [HEADER_OF[name] for name in REQUIRED_HEADERS if name not in fields]
    if missing:
        raise SpreadsheetError(
            _("The first row must hold the column names of the template; missing: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    rows = []
    for index, values in enumerate(dataset, start=2):  # line 1 is the header row
        row: dict[str, Any] = {"line": index}
        for name, value in zip(fields, values, strict=False):
            if name is not None and name not in row:
                row[name] = _text(name, value)
        if any(row.get(name) for name, _d, _a in COLUMNS):
            rows.append(row)
        if len(rows) > MAX_ROWS:
            raise SpreadsheetError(_too_many(_count_filled(dataset)))
    if not rows:
        raise SpreadsheetError(_("The file has no client rows under its header row."))
    return rows


def _count_filled(dataset: tablib.Dataset) -> int:
    return sum(1 for values in dataset if any(str(v or "").strip() for v in values))


def _text(name: str, value) -> str:
    """A cell as the text the registration form expects."""
    if value is None:
        return ""
    if hasattr(value, "text") and not isinstance(value, str):  # an array formula
        value = value.text
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and name == "national_register_number":
        return f"{value:011d}"  # a number cell drops the leading zero of people born in 200x
    text = " ".join(str(value).split())
    if name in DATE_FIELDS:
        return _iso_date(text)
    if name == "gender":
        return GENDERS.get(text.lower(), text)
    return text


def _iso_date(text: str) -> str:
    """Belgian day/month/year (or ISO) as ISO; anything else as typed, for the form to refuse."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text


# --- the template -----------------------------------------------------------------------------


def template_dataset() -> tablib.Dataset:
    return tablib.Dataset(headers=[dutch for _n, dutch, _a in COLUMNS], title="Cliënten")


def template_xlsx() -> bytes:
    book = tablib.Databook(
        [
            template_dataset(),
            tablib.Dataset(
                *[(header, str(text)) for header, text in HELP],
                headers=[gettext("Column"), gettext("What to fill in")],
                title=gettext("Explanation"),
            ),
        ]
    )
    return book.export("xlsx")


def template_csv() -> bytes:
    # Semicolons and a BOM: Excel on a Belgian PC opens it in columns, with accents intact.
    return ("\ufeff" + template_dataset().export("csv", delimiter=";")).encode("utf-8")


# --- checking ---------------------------------------------------------------------------------


@dataclass
class RowResult:
    NEW = "new"
    DUPLICATE = "duplicate"
    REFUSED = "refused"
    IMPORTED = "imported"

    line: int
    outcome: str
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    existing_pk: int | None = None
    duplicate_of_line: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict, repr=False)

    def refuse(self, reason: str) -> None:
        self.outcome = self.REFUSED
        self.reasons.append(reason)

    def as_dict(self) -> dict[str, Any]:
        """For the preview's storage: everything but the cleaned values (dates)."""
        stored = asdict(self)
        del stored["fields"]
        if self.outcome != self.NEW:
            stored["data"] = {}  # only new rows are imported; keep nothing else
        return stored

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> "RowResult":
        return cls(**stored)


def _display_name(data: dict[str, Any]) -> str:
    return " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)


def _form_data(row: dict[str, Any]) -> dict[str, Any]:
    data = {name: row.get(name, "") for name, _d, _a in COLUMNS}
    # The consent date column stands for the consent itself; without a date the form refuses.
    data["consent_given"] = "on"
    return data


def _reasons(form: ParticipantForm) -> list[str]:
    reasons = []
    for name, errors in form.errors.items():
        if name == "confirm_different_person":
            continue
        label = form.fields[name].label if name in form.fields else None
        for message in errors:
            reasons.append(f"{str(label).capitalize()}: {message}" if label else str(message))
    return reasons


def _compact_number(value: str) -> str:
    return nn.compact(value) if value else ""


def check_rows(rows: list[dict[str, Any]], *, by) -> list[RowResult]:
    """Say for each row whether it is new, a duplicate (of a client of the organisation, or of
    an earlier row) or refused, and why. Reads only."""
    organisation_id = organisation_id_of(by)
    own_clients = participants_visible_to(by).filter(anonymised_at__isnull=True)
    numbers = {_compact_number(str(row.get("national_register_number", ""))) for row in rows}
    numbers.discard("")
    known_numbers = dict(
        own_clients.filter(national_register_number__in=numbers).values_list(
            "national_register_number", "pk"
        )
    )
    seen: dict[tuple, int] = {}
    results = []
    for row in rows:
        data = {name: row.get(name, "") for name, _d, _a in COLUMNS} | {"line": row["line"]}
        result = RowResult(line=row["line"], outcome=RowResult.NEW, name=_display_name(data))
        number = _compact_number(str(data.get("national_register_number", "")))
        if number and number in known_numbers:
            result.outcome = RowResult.DUPLICATE
            result.existing_pk = known_numbers[number]
            results.append(result)
            continue
        # The registration form: the same rules and messages as the page. It does not look
        # the number up (the service does, at import, with its limits), so the preview
        # cannot be used to test numbers in bulk.
        form = ParticipantForm(_form_data(data), organisation_id=organisation_id, registering=True)
        valid = form.is_valid()
        if form.duplicates:
            result.outcome = RowResult.DUPLICATE
            result.existing_pk = form.duplicates[0].pk
        elif not valid:
            result.outcome = RowResult.REFUSED
            result.reasons = _reasons(form)
        else:
            cleaned = form.participant_fields()
            keys = [
                (
                    "name",
                    cleaned["first_name"].lower(),
                    cleaned["last_name"].lower(),
                    cleaned["date_of_birth"],
                )
            ]
            if cleaned.get("national_register_number"):
                keys.append(("number", cleaned["national_register_number"]))
            earlier = next((seen[key] for key in keys if key in seen), None)
            if earlier is not None:
                result.outcome = RowResult.DUPLICATE
                result.duplicate_of_line = earlier
            else:
                for key in keys:
                    seen[key] = row["line"]
                result.data = data
                result.fields = cleaned
        results.append(result)
    return results
