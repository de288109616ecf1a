"""Date, time and number formats per interface language (settings.FORMAT_MODULE_PATH).

One module per language decides how every date on every page looks: templates and Python
name a format (``SHORT_DATE_FORMAT``, ``WEEKDAY_DATE_FORMAT`` …) instead of spelling one
out. Django's standard names go through ``|date``/``|time`` and ``django.utils.formats``;
the extra names below go through ``partnerships.formatting`` (``|named_date`` in templates).
Whatever a module leaves out falls back to Django's own module for that language.
"""
