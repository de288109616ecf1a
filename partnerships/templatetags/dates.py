"""``{% load dates %}``: ``{{ day|named_date:"WEEKDAY_DATE_FORMAT" }}`` formats a date by name.

For Django's standard names ``|date:"SHORT_DATE_FORMAT"`` does the same; this filter also
knows Partnerwerk's own names (partnerships.formatting.CUSTOM_FORMATS).
"""

from django import template

from ..formatting import format_date

register = template.Library()


@register.filter(expects_localtime=True)
def named_date(value, name: str) -> str:
    if value in (None, ""):
        return ""
    return format_date(value, name)
