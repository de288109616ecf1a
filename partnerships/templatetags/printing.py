"""For print: the filters a list or report was made with, in words (label, value)."""

from django import forms, template

register = template.Library()


@register.simple_tag
def filters_in_words(form) -> list[tuple[str, str]]:
    """The filled-in fields of a bound, valid filter form as (label, shown value).

    Free-text search fields are left out: what a user typed there can be personal data (a
    national register number typed into a client search must never come back on a page)."""
    if form is None or not form.is_bound or not form.is_valid():
        return []
    shown = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(field, forms.CharField) and not isinstance(field, forms.ChoiceField):
            continue
        if isinstance(field, forms.ModelChoiceField) or not isinstance(field, forms.ChoiceField):
            text = str(value)
        else:
            text = str(dict(field.choices).get(value, value))
        shown.append((str(field.label or name), text))
    return shown
