"""List filters (django-filter) for the staff screens of the partnerships app."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.be import vat

from .models import PartnerOrganisation, Partnership
from .widgets import SearchChoiceSelect


class AllYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter's choice: "All" (no filter), "Yes" or "No", not Django's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]


class PartnerOrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name or enterprise number")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartnerOrganisation.Kind.choices)
    municipality = django_filters.CharFilter(label=_("Municipality"), lookup_expr="icontains")
    is_active = django_filters.BooleanFilter(label=_("Active"), widget=AllYesNoSelect)

    class Meta:
        model = PartnerOrganisation
        fields = ["q", "kind", "municipality", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name__icontains=value)
        digits = vat.compact(value)
        if digits.isdigit():
            condition |= Q(enterprise_number__contains=digits)
        return queryset.filter(condition)


class PartnershipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Partnership.Status.choices)
    partner_kind = django_filters.ChoiceFilter(
        label=_("Partner kind"),
        choices=PartnerOrganisation.Kind.choices,
        method="filter_partner_kind",
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        method="filter_year",
        min_value=2000,
        max_value=2100,
        help_text=_("Agreements active during that year."),
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner organisation"),
        queryset=PartnerOrganisation.objects.order_by("name"),
        method="filter_partner",
        widget=SearchChoiceSelect("partnerships:partner_choices"),
    )

    class Meta:
        model = Partnership
        fields = ["status", "partner_kind", "year", "partner"]

    def filter_partner_kind(self, queryset, name, value):
        return queryset.filter(partners__kind=value).distinct()

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(
            Q(start_date__year__lte=year), Q(end_date__isnull=True) | Q(end_date__year__gte=year)
        )

    def filter_partner(self, queryset, name, value):
        return queryset.filter(partners=value).distinct()
