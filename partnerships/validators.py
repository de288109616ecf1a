"""Checks for Belgian numbers, with messages that name the field."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.be import nn, vat
from stdnum.exceptions import ValidationError as StdnumError


def normalise_enterprise_number(value: str) -> str:
    """Return the 10-digit compact form of a KBO enterprise number, or raise ValidationError."""
    try:
        return vat.validate(value or "")
    except StdnumError:
        raise ValidationError(
            _("Enterprise number: %(value)s is not a valid KBO number (e.g. 0403.019.261)."),
            code="invalid_enterprise_number",
            params={"value": value},
        ) from None


def validate_enterprise_number(value: str) -> None:
    normalise_enterprise_number(value)


def format_enterprise_number(value: str) -> str:
    if value and len(value) == 10 and value.isdigit():
        return f"{value[:4]}.{value[4:7]}.{value[7:]}"
    return value


def normalise_national_register_number(value: str) -> str:
    """Return the 11-digit compact form of a national register number, or raise."""
    try:
        return nn.validate(value or "")
    except StdnumError:
        raise ValidationError(
            _(
                "National register number: %(value)s is not valid; check the 11 digits "
                "(e.g. 85.07.30-033.28)."
            ),
            code="invalid_national_register_number",
            params={"value": value},
        ) from None


def validate_national_register_number(value: str) -> None:
    normalise_national_register_number(value)


def format_national_register_number(value: str) -> str:
    return nn.format(value) if value else ""


def mask_national_register_number(value: str) -> str:
    """Say that a number is stored, without any of its digits.

    Even the last digits were too much: with the date of birth on the same page and the check
    digits, only one digit was left to guess. The whole number is shown only after a
    recorded reveal."""
    if not value:
        return ""
    return str(_("registered"))


def validate_postal_code(value: str) -> None:
    if not (value and value.isdigit() and len(value) == 4 and 1000 <= int(value) <= 9999):
        raise ValidationError(
            _("Postal code: enter a Belgian postal code of four digits (1000–9999)."),
            code="invalid_postal_code",
        )
