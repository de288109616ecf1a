"""Dutch as written in Flanders: 29-11-2026, ma 23 nov., maandag 22 maart 2027.

Day and month names come from the translation catalogue in lower case, as Dutch writes
them; abbreviated months keep their full stop ("nov.", but "mei"), per the Taalunie.
Display formats use Django's date syntax; input formats Python's strptime syntax.
"""

# Django's standard names.
DATE_FORMAT = "j F Y"  # 22 maart 2027
TIME_FORMAT = "H:i"  # 09:30
DATETIME_FORMAT = "j F Y H:i"  # 22 maart 2027 09:30
YEAR_MONTH_FORMAT = "F Y"  # maart 2027
MONTH_DAY_FORMAT = "j F"  # 22 maart
SHORT_DATE_FORMAT = "d-m-Y"  # 22-03-2027
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 22-03-2027 09:30
FIRST_DAY_OF_WEEK = 1  # maandag

# What people type: day first, with dashes, slashes or dots; ISO (the browser's date
# field sends 2027-03-22) is always accepted as well.
DATE_INPUT_FORMATS = [
    "%d-%m-%Y",  # 22-03-2027
    "%d/%m/%Y",  # 22/03/2027
    "%d.%m.%Y",  # 22.03.2027
    "%d-%m-%y",  # 22-03-27
    "%d/%m/%y",  # 22/03/27
    "%Y-%m-%d",  # 2027-03-22
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 09:30
    "%H:%M:%S",  # 09:30:00
    "%H.%M",  # 09.30
]
DATETIME_INPUT_FORMATS = [
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

# Partnerwerk's own names (see partnerships.formatting.CUSTOM_FORMATS).
WEEKDAY_DATE_FORMAT = "l j F Y"  # maandag 22 maart 2027
SHORT_WEEKDAY_DATE_FORMAT = "D j N Y"  # ma 22 mrt. 2027
WEEKDAY_DAY_MONTH_FORMAT = "D j N"  # ma 23 nov.
SHORT_DAY_MONTH_FORMAT = "d-m"  # 23-11
