"""Django admin for the organisations and their people: the administrator's daily tool.

Every changelist fetches its related rows with `list_select_related`, so its number of
queries does not grow with the rows on the page (tested in tests/test_admin.py).
"""

import datetime

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from stdnum.be import vat

from .models import (
    ContactPerson,
    Membership,
    Office,
    PartnerOrganisation,
    Partnership,
    PartnershipPartner,
    PlanTarget,
    User,
)

DATE_PARTS = ("year", "month", "day")


def _valid_date_drill_down(query, field: str) -> bool:
    """Whether the date hierarchy's year/month/day in `query` name a real period, computed as
    the admin's ChangeList does (it lets OverflowError and a year 10000 end as a 500)."""
    parts = {part: query.getlist(f"{field}__{part}") for part in DATE_PARTS}
    if not any(parts.values()):
        return True
    values = {}
    for part, given in parts.items():
        if not given:
            continue
        if not all(value.isdigit() and len(value) <= 4 for value in given):
            return False
        values[part] = int(given[-1])
    if "year" not in values:
        return False  # a month or day alone would reach the database as a plain lookup
    try:
        start = datetime.date(values["year"], values.get("month", 1), values.get("day", 1))
        if "day" in values:
            start + datetime.timedelta(days=1)
        elif "month" in values:
            (start + datetime.timedelta(days=32)).replace(day=1)
        else:
            start.replace(year=start.year + 1)
    except (ValueError, OverflowError):
        return False
    return True


class SafeDateHierarchyMixin:
    """Ignore (with a message) a date drill-down that names no real period, instead of a 500.

    Every ModelAdmin with a `date_hierarchy` uses it, also third-party ones (integratie/admin.py);
    tests/security/test_admin_date_hierarchy.py checks them all."""

    def changelist_view(self, request, extra_context=None):
        field = self.date_hierarchy
        if field and not _valid_date_drill_down(request.GET, field):
            query = request.GET.copy()
            for part in DATE_PARTS:
                query.pop(f"{field}__{part}", None)
            messages.warning(request, _("The date in the address is not valid; it is ignored."))
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)


def guard_date_hierarchies(site: admin.AdminSite) -> None:
    """Give every registered ModelAdmin with a date hierarchy the guard above, also the
    ones of other packages (django-axes' logs): re-register a subclass with the mixin."""
    for model, model_admin in list(site._registry.items()):
        if model_admin.date_hierarchy and not isinstance(model_admin, SafeDateHierarchyMixin):
            guarded = type(
                model_admin.__class__.__name__, (SafeDateHierarchyMixin, model_admin.__class__), {}
            )
            site.unregister(model)
            site.register(model, guarded)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = True
    extra = 0
    max_num = 1
    autocomplete_fields = ["office", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "scope",
        "is_staff",
        "is_superuser",
        "is_active",
    ]
    list_filter = ["membership__role", "is_staff", "is_superuser", "is_active"]
    list_select_related = ["membership__office", "membership__organisation"]

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, obj: User) -> str:
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "–"

    @admin.display(description=_("scope"))
    def scope(self, obj: User) -> str:
        membership = getattr(obj, "membership", None)
        if membership is None:
            return "–"
        return str(membership.office or membership.organisation or _("all offices"))


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "region", "municipality", "phone", "is_active"]
    list_filter = ["agency", "region", "is_active"]
    search_fields = ["name", "municipality"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "office", "organisation"]
    list_filter = ["role", "office"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "office__name",
        "organisation__name",
    ]
    autocomplete_fields = ["user", "office", "organisation"]
    list_select_related = ["user", "office", "organisation"]


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "function", "email", "phone", "is_active"]


class EnterpriseNumberSearchMixin:
    """Let administrators search a KBO number typed with dots or spaces (stored compact)."""

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        compact = vat.compact(search_term or "")
        if compact.isdigit() and len(compact) >= 4:
            queryset |= self.model.objects.filter(enterprise_number__contains=compact)
        return queryset, may_have_duplicates


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(EnterpriseNumberSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "enterprise_number_formatted",
        "municipality",
        "email",
        "phone",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "municipality"]
    search_fields = ["name", "enterprise_number", "municipality", "email"]
    inlines = [ContactPersonInline]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("enterprise number"), ordering="enterprise_number")
    def enterprise_number_formatted(self, obj: PartnerOrganisation) -> str:
        return obj.enterprise_number_display


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "function", "email", "phone", "is_active"]
    list_filter = ["is_active", "organisation__kind"]
    search_fields = ["name", "email", "function", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]


class PartnershipPartnerInline(admin.TabularInline):
    model = PartnershipPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class PlanTargetInline(admin.TabularInline):
    model = PlanTarget
    extra = 0
    fields = ["year", "planned_modules", "planned_sessions", "planned_participants"]


@admin.register(Partnership)
class PartnershipAdmin(SafeDateHierarchyMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "office",
        "lead_partner",
        "status",
        "start_date",
        "end_date",
        "agreement_reference",
    ]
    list_filter = ["status", "office", "lead_partner__kind"]
    date_hierarchy = "start_date"
    search_fields = ["title", "agreement_reference", "target_group", "lead_partner__name"]
    autocomplete_fields = ["office", "lead_partner"]
    list_select_related = ["office", "lead_partner"]
    inlines = [PartnershipPartnerInline, PlanTargetInline]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(PartnershipPartner)
class PartnershipPartnerAdmin(admin.ModelAdmin):
    list_display = ["partnership", "organisation"]
    list_filter = ["organisation__kind", "partnership__office"]
    search_fields = ["partnership__title", "organisation__name"]
    autocomplete_fields = ["partnership", "organisation"]
    list_select_related = ["partnership", "organisation"]


@admin.register(PlanTarget)
class PlanTargetAdmin(admin.ModelAdmin):
    list_display = [
        "partnership",
        "office",
        "year",
        "planned_modules",
        "planned_sessions",
        "planned_participants",
    ]
    list_filter = ["year", "partnership__office"]
    search_fields = ["partnership__title"]
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership__office"]

    @admin.display(description=_("office"), ordering="partnership__office__name")
    def office(self, obj: PlanTarget):
        return obj.partnership.office
