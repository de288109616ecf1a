"""A choice among thousands (partners, agreements) as search-as-you-type (issue 10).

`SearchChoiceSelect` renders only the empty choice and the chosen value, not every row of
its queryset (1,500 partners or 3,000 agreements made a list page 0.4 s of rendering); the
browser fetches matching options as the user types (static/js/choice-search.js, Tom Select)
from a JSON endpoint limited to what the user may see. The field still validates the
submitted value against its full, scoped queryset. Without JavaScript the select offers the
chosen value only; the list pages' other filters keep working.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .queries import chosen_id


class SearchChoiceSelect(forms.Select):
    def __init__(self, url_name: str, *, query: str = "", attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.query = query

    def get_context(self, name, value, attrs):
        url = reverse(self.url_name) + (f"?{self.query}" if self.query else "")
        attrs = {
            **(attrs or {}),
            "data-choice-search": "",
            "data-choice-url": url,
            "data-choice-placeholder": str(_("Type to search…")),
            "data-choice-empty": str(_("No matches")),
            "data-choice-type-more": str(_("Type at least two letters")),
        }
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        """Only the empty choice and the chosen ones: one small query, not the whole list."""
        return _few_options(self, name, value, attrs)


def _few_options(widget, name, value, attrs, shown=()) -> list:
    """A long choice's optgroups without its whole queryset: the empty choice, the `shown`
    rows and the chosen ones (one small query for those not shown)."""
    iterator = widget.choices
    # Only well-formed ids reach the database (a garbage value is the form's to report).
    chosen = {str(pk) for pk in map(chosen_id, value) if pk is not None}
    rows = list(shown)
    missing = chosen - {str(row.pk) for row in rows}
    if missing:
        rows.extend(iterator.queryset.filter(pk__in=missing))
    options = []
    if getattr(iterator, "field", None) is not None and iterator.field.empty_label is not None:
        options.append(("", iterator.field.empty_label))
    options.extend(iterator.choice(row) for row in rows)
    selected = {str(v) for v in value}
    return [
        (
            None,
            [
                widget.create_option(
                    name, option_value, label, str(option_value) in selected, index, attrs=attrs
                )
            ],
            index,
        )
        for index, (option_value, label) in enumerate(options)
    ]


class DependentChoiceSelect(forms.Select):
    """A choice that follows another field of the form (the contacts of the chosen partner or
    agreement: thousands in all). The page holds only the options under the parent's current
    value (`shown`, set by the form) and the chosen one; when the parent changes,
    static/js/dependent-choice.js fetches the options under the new value from `url_name`
    (GET ?<parent>=id: {"results": [{"id", "text"}]}). The field still validates against
    its full queryset. Without JavaScript the options follow the parent after a submit."""

    def __init__(self, url_name: str, parent: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.parent = parent
        self.shown = ()  # the options to render besides the chosen one (a queryset)

    def get_context(self, name, value, attrs):
        attrs = {
            **(attrs or {}),
            "data-depends-on": self.parent,
            "data-choice-url": reverse(self.url_name),
        }
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        return _few_options(self, name, value, attrs, self.shown)


class SearchChoiceSelectMultiple(SearchChoiceSelect, forms.SelectMultiple):
    """Several choices among thousands: the chosen ones in the page, the rest as you type."""
