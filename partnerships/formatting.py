"""Dates in the interface language, by name: the language's format module decides.

Django's standard names (``SHORT_DATE_FORMAT``, ``DATE_FORMAT``, ``TIME_FORMAT`` …) work
with ``|date``/``|time`` and ``django.utils.formats`` as usual. Django only knows those
names, so the few extra ones Partnerwerk uses are looked up here, in the same modules
(``integratie/formats/<language>/formats.py``, found through FORMAT_MODULE_PATH).
"""

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils import dateformat
from django.utils.formats import FORMAT_SETTINGS, get_format, get_format_modules
from django.utils.translation import get_language, pgettext_lazy

# Every format module defines each of these (tests/test_formats.py checks it).
CUSTOM_FORMATS = (
    "WEEKDAY_DATE_FORMAT",  # maandag 22 maart 2027 / Monday 22 March 2027
    "SHORT_WEEKDAY_DATE_FORMAT",  # ma 22 mrt. 2027 / Mon 22 Mar 2027
    "WEEKDAY_DAY_MONTH_FORMAT",  # ma 23 nov. / Mon 23 Nov
    "SHORT_DAY_MONTH_FORMAT",  # 23-11 / 23/11 (narrow columns, e.g. the attendance sheet)
)

# Django's abbreviated month names (format "N"), listed here so that makemessages keeps them
# in our catalogue, where Dutch gives them their full stop: "nov.", "mrt.", but "mei".
MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)


def get_named_format(name: str) -> str:
    """The active language's format called `name` (a standard or a custom name)."""
    if name in FORMAT_SETTINGS:
        return get_format(name)
    if name not in CUSTOM_FORMATS:
        raise ValueError(f"{name!r} is not a format name; use one of {CUSTOM_FORMATS}")
    for module in get_format_modules(get_language()):
        value = getattr(module, name, None)
        if value:
            return value
    raise ImproperlyConfigured(f"No format module of {get_language()!r} defines {name}.")


def format_date(value: datetime.date | datetime.datetime, name: str = "SHORT_DATE_FORMAT") -> str:
    """`value` in the named format of the active language."""
    return dateformat.format(value, get_named_format(name))
