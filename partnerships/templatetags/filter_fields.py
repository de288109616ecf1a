"""`{% filter_field field %}`: one field of a list page's filter form, in Bootstrap 5 markup.

The same markup crispy-forms' `as_crispy_field` writes (label, widget with `form-select` /
`form-control`, `is-invalid` and the errors, help text), written here in Python: the filter
form is on every list page, and crispy's nested templates cost several milliseconds per
page under load (docs/performance.md, "CPU per request").
"""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _widget_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):  # also SelectMultiple and NullBooleanSelect
        return "form-select"
    return "form-control"


@register.simple_tag
def filter_field(field):
    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), _widget_class(widget)]
    attrs = {}
    if field.errors:
        classes.append("is-invalid")
    if field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_helptext"
    attrs["class"] = " ".join(c for c in classes if c)
    errors = format_html_join(
        "",
        '<p id="error_{}_{}" class="invalid-feedback"><strong>{}</strong></p>',
        ((index, field.auto_id, error) for index, error in enumerate(field.errors, 1)),
    )
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        field.as_widget(attrs=attrs),
        errors,
        help_text,
    )
