"""List filters (django-filter) for the modules app, one section per audience."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from partnerships.forms import DateInput
from partnerships.models import PartnerOrganisation, PartnershipPartner
from partnerships.queries import partners_of_visible_agreements, partnerships_visible_to
from partnerships.widgets import SearchChoiceSelect

from .models import Language, Module, Session, Theme

# --- planning (staff): modules, sessions ---------------------------------------------


def _partners_of_my_agreements(request):
    """The partner filter offers the partners of the agreements the user may see."""
    if request is None:
        return PartnerOrganisation.objects.none()
    return partners_of_visible_agreements(request.user)


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class ModuleFilter(django_filters.FilterSet):
    """Staff module list: status, offer type, theme, language, partner, year, title search."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_title", max_length=100, help_text=_("Title contains")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Module.Status.choices)
    offer_type = django_filters.ChoiceFilter(
        label=_("Offer type"), choices=Module.OfferType.choices
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), method="filter_theme"
    )
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Language.choices)
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=_partners_of_my_agreements,
        method="filter_partner",
        widget=SearchChoiceSelect("partnerships:partner_choices", query="of=agreements"),
    )
    year = YearFilter(
        label=_("Year"),
        method="filter_year",
        min_value=2000,
        max_value=2100,
        help_text=_("Has a session in this year"),
    )

    class Meta:
        model = Module
        fields = ["q", "status", "offer_type", "theme", "language", "partner", "year"]

    # Exists() rather than joins: a module with two matching rows is still listed once.
    def filter_title(self, queryset, name, value):
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        links = Module.themes.through.objects.filter(module=OuterRef("pk"), theme=value)
        return queryset.filter(Exists(links))

    def filter_partner(self, queryset, name, value):
        if not value:
            return queryset
        links = PartnershipPartner.objects.filter(
            partnership=OuterRef("partnership"), organisation=value
        )
        return queryset.filter(Exists(links))

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        sessions = Session.objects.filter(module=OuterRef("pk"), date__year=value)
        return queryset.filter(Exists(sessions))


# --- requests and evaluations (staff) ---------------------------------------------------

from .models import Evaluation as _Evaluation  # noqa: E402
from .models import OfferRequest as _OfferRequest  # noqa: E402


class OfferRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=_OfferRequest.Status.choices)
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner organisation"),
        queryset=PartnerOrganisation.objects.order_by("name"),
        widget=SearchChoiceSelect("partnerships:partner_choices"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", queryset=Theme.objects.all(), distinct=True
    )

    class Meta:
        model = _OfferRequest
        fields = ["status", "partner", "theme"]


def _partnerships_of(request):
    return partnerships_visible_to(request.user).order_by("title") if request else None


class EvaluationFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(label=_("Source"), choices=_Evaluation.Source.choices)
    partnership = django_filters.ModelChoiceFilter(
        label=_("Cooperation agreement"),
        queryset=_partnerships_of,
        widget=SearchChoiceSelect("partnerships:partnership_choices"),
    )
    # A module is chosen from its own page (a select of every module would be too long).
    # Bounded: a number beyond 64 bits would overflow the database's integer (a 500).
    module = django_filters.NumberFilter(
        field_name="module_id", widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )

    class Meta:
        model = _Evaluation
        fields = ["source", "partnership", "module"]


# --- participants (caseworkers): clients, open modules ----------------------------------

from django.db.models import Q  # noqa: E402

from .models import Participant as _Participant  # noqa: E402


class ClientFilter(django_filters.FilterSet):
    """Caseworker and staff client list: search by (part of) the first or last name."""

    q = django_filters.CharFilter(
        label=_("Name"), method="filter_name", max_length=100, help_text=_("First or last name")
    )

    class Meta:
        model = _Participant
        fields = ["q"]

    def filter_name(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return queryset


class OpenModuleFilter(django_filters.FilterSet):
    """Open modules for caseworkers: theme, language, offer type, a session on or after a date."""

    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.filter(is_active=True), method="filter_theme"
    )
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Language.choices)
    offer_type = django_filters.ChoiceFilter(
        label=_("Offer type"), choices=Module.OfferType.choices
    )
    date = django_filters.DateFilter(
        label=_("Session on or after"),
        method="filter_date",
        widget=DateInput(),
    )

    class Meta:
        model = Module
        fields = ["theme", "language", "offer_type", "date"]

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        links = Module.themes.through.objects.filter(module=OuterRef("pk"), theme=value)
        return queryset.filter(Exists(links))

    def filter_date(self, queryset, name, value):
        if not value:
            return queryset
        sessions = Session.objects.filter(module=OuterRef("pk"), date__gte=value).exclude(
            status=Session.Status.CANCELLED
        )
        return queryset.filter(Exists(sessions))


# --- reports ---------------------------------------------------------------------------
