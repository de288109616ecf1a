"""The API's list filters: the pages' filters (typed for the OpenAPI schema), and filters of
lists that have no page of their own."""

import copy

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes

from modules.filters import ModuleFilter, OpenModuleFilter
from modules.models import Enrolment, Session
from partnerships.filters import PartnershipFilter
from partnerships.models import PlanTarget

# A number beyond 64 bits would overflow the database's integer (a 500, not a 400).
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class SessionFilter(django_filters.FilterSet):
    module = IdFilter(field_name="module_id", label=_("Module"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Session.Status.choices)
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("On or after")
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("On or before")
    )

    class Meta:
        model = Session
        fields = ["module", "status", "date_from", "date_to"]


class EnrolmentFilter(django_filters.FilterSet):
    client = IdFilter(field_name="participant_id", label=_("Client"))
    module = IdFilter(field_name="module_id", label=_("Module"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Enrolment.Status.choices)

    class Meta:
        model = Enrolment
        fields = ["client", "module", "status"]


class PlanTargetFilter(django_filters.FilterSet):
    agreement = IdFilter(field_name="partnership_id", label=_("Cooperation agreement"))
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)

    class Meta:
        model = PlanTarget
        fields = ["agreement", "year"]


def _typed(filterset, name: str, openapi_type) -> django_filters.Filter:
    """A copy of a page filter that tells the schema its parameter's type (an id, a year):
    drf-spectacular cannot see through a filter `method`."""
    return set_override(copy.deepcopy(filterset.base_filters[name]), "field", openapi_type)


class ModuleApiFilter(ModuleFilter):
    theme = _typed(ModuleFilter, "theme", OpenApiTypes.INT)
    partner = _typed(ModuleFilter, "partner", OpenApiTypes.INT)
    year = _typed(ModuleFilter, "year", OpenApiTypes.INT)


class OpenModuleApiFilter(OpenModuleFilter):
    theme = _typed(OpenModuleFilter, "theme", OpenApiTypes.INT)


class AgreementApiFilter(PartnershipFilter):
    partner = _typed(PartnershipFilter, "partner", OpenApiTypes.INT)
