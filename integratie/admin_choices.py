"""The Django admin's empty choices in words (issue 13): "Kies …" instead of "---------" in
its forms (select lists of foreign keys and choices) and in the changelist's action list.
Its list filters already say "Alle".

Applied to every registered ModelAdmin and its inlines, also those of other packages, by
re-registering a subclass with the mixin (integratie/apps.py), as guard_date_hierarchies does.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

CHOOSE = _("Choose …")


class WordedEmptyChoiceMixin:
    """Select lists in the admin's forms start with "Kies …", not Django's dashes."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        # The related-object wrapper (the + and pencil icons) keeps the select inside it.
        inner = getattr(widget, "widget", widget)
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            if field.empty_label is not None:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and isinstance(inner, forms.Select):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]).startswith("---"):
                field.choices = [("", CHOOSE), *choices[1:]]
        return field

    def get_action_choices(self, request, default_choices=None):
        return super().get_action_choices(request, default_choices=[("", CHOOSE)])


def _worded(cls):
    if issubclass(cls, WordedEmptyChoiceMixin):
        return cls
    return type(cls.__name__, (WordedEmptyChoiceMixin, cls), {"__module__": cls.__module__})


def word_empty_choices(site: admin.AdminSite) -> None:
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, WordedEmptyChoiceMixin):
            continue
        worded = _worded(model_admin.__class__)
        worded.inlines = [_worded(inline) for inline in model_admin.inlines]
        site.unregister(model)
        site.register(model, worded)
