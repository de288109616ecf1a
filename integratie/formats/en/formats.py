"""English as written in the United Kingdom: 29/11/2026, Mon 23 Nov, Monday 22 March 2027.

Never the US month-first order (11/29/2026), neither shown nor read from what people type.
Display formats use Django's date syntax; input formats Python's strptime syntax.
"""

# Django's standard names.
DATE_FORMAT = "j F Y"  # 22 March 2027
TIME_FORMAT = "H:i"  # 09:30
DATETIME_FORMAT = "j F Y H:i"  # 22 March 2027 09:30
YEAR_MONTH_FORMAT = "F Y"  # March 2027
MONTH_DAY_FORMAT = "j F"  # 22 March
SHORT_DATE_FORMAT = "d/m/Y"  # 22/03/2027
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 22/03/2027 09:30
FIRST_DAY_OF_WEEK = 1  # Monday

# What people type: day first; ISO (the browser's date field sends 2027-03-22) too.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 22/03/2027
    "%d-%m-%Y",  # 22-03-2027
    "%d.%m.%Y",  # 22.03.2027
    "%d/%m/%y",  # 22/03/27
    "%d %b %Y",  # 22 Mar 2027
    "%d %B %Y",  # 22 March 2027
    "%Y-%m-%d",  # 2027-03-22
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 09:30
    "%H:%M:%S",  # 09:30:00
    "%H.%M",  # 09.30
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# Partnerwerk's own names (see partnerships.formatting.CUSTOM_FORMATS).
WEEKDAY_DATE_FORMAT = "l j F Y"  # Monday 22 March 2027
SHORT_WEEKDAY_DATE_FORMAT = "D j M Y"  # Mon 22 Mar 2027
WEEKDAY_DAY_MONTH_FORMAT = "D j M"  # Mon 23 Nov
SHORT_DAY_MONTH_FORMAT = "d/m"  # 23/11
