"""Django admin for what is taught, to whom, and what happened.

Participants' national register numbers never appear in a changelist or in search
(a search term ends up in the URL); the change form shows the field for correction.
"""

from django import forms
from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partnerships.admin import SafeDateHierarchyMixin
from partnerships.models import PartnerOrganisation

from .models import (
    Attendance,
    Enrolment,
    Evaluation,
    MailOptOut,
    Module,
    Objective,
    OfferRequest,
    Participant,
    PersonalDataAccess,
    Session,
    Theme,
)
from .queries import with_places
from .services import capacity_error, fill_free_places
from .services.rollup import refresh_modules


class LargeTablePaginator(Paginator):
    """The admin's page count of an unfiltered million-row table from PostgreSQL's own
    estimate (pg_class.reltuples, kept by ANALYZE) instead of a COUNT(*) of every row;
    filtered lists (and SQLite, and small tables) are counted exactly."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > 100_000:
                return int(row[0])
        return super().count


class ChosenOrganisationFilter(admin.SimpleListFilter):
    """Participants of one organisation, chosen from the organisation column's link: the
    sidebar lists only the chosen one, not every organisation (1,500 at Flanders scale)."""

    title = _("organisation")
    parameter_name = "organisation"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value and value.isdigit() and int(value) < 2**63):
            return []
        return [(str(o.pk), str(o)) for o in PartnerOrganisation.objects.filter(pk=int(value))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isdigit() and int(value) < 2**63):
            return queryset.none()
        return queryset.filter(organisation_id=int(value))


class KeepsReportRollup:
    """An admin edit of modules, sessions or attendance keeps the report's rollup exact
    (issue 10): the modules the object belonged to before and after the edit, and those of
    its inline rows, are recomputed in the admin's own transaction."""

    rollup_module_path = "pk"

    def _rollup_modules(self, obj) -> set:
        if obj is None or obj.pk is None:
            return set()
        found = type(obj).objects.filter(pk=obj.pk).values_list(self.rollup_module_path, flat=True)
        return set(found)

    def save_model(self, request, obj, form, change):
        request._rollup_modules = self._rollup_modules(obj) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_modules(
            getattr(request, "_rollup_modules", set()) | self._rollup_modules(form.instance)
        )

    def delete_model(self, request, obj):
        modules = self._rollup_modules(obj)
        super().delete_model(request, obj)
        refresh_modules(modules)

    def delete_queryset(self, request, queryset):
        modules = set(queryset.values_list(self.rollup_module_path, flat=True))
        super().delete_queryset(request, queryset)
        refresh_modules(modules)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "theme", "is_active"]
    list_filter = ["theme", "is_active"]
    search_fields = ["code", "description"]
    autocomplete_fields = ["theme"]
    list_select_related = ["theme"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["date", "start_time", "end_time", "location", "topic", "status"]
    show_change_link = True


class EnrolmentInline(admin.TabularInline):
    """Read-only: enrolling, withdrawing and the waiting list go through the services, which
    lock the module row and keep the places and the queue right (issue 8)."""

    model = Enrolment
    extra = 0
    fields = ["participant", "status", "waitlist_position", "enrolled_by", "enrolled_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant", "enrolled_by")


class ModuleAdminForm(forms.ModelForm):
    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if error := capacity_error(self.instance.pk, capacity):  # the one rule, as the app's
            raise forms.ValidationError(error)
        return capacity


@admin.register(Module)
class ModuleAdmin(KeepsReportRollup, SafeDateHierarchyMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "partnership",
        "office",
        "offer_type",
        "language",
        "status",
        "enrolment_open",
        "places",
    ]
    list_filter = [
        "status",
        "offer_type",
        "enrolment_open",
        "language",
        "partnership__office",
        "themes",
    ]
    search_fields = ["title", "teacher", "location", "partnership__title"]
    autocomplete_fields = ["partnership", "partner_facilitator", "themes", "objectives"]
    list_select_related = ["partnership__office"]
    date_hierarchy = "created_at"
    # The lifecycle moves these (modules/services/lifecycle.py), with its checks and locks.
    readonly_fields = ["status", "enrolment_open", "created_at", "updated_at"]
    inlines = [SessionInline, EnrolmentInline]
    form = ModuleAdminForm

    def get_queryset(self, request):
        # The app's own count of taken places (enrolled and completed), not a count of its own.
        return with_places(super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            # More places or enrolment reopened: the waiting list moves up, under the lock.
            fill_free_places(module=obj)

    @admin.display(description=_("office"), ordering="partnership__office__name")
    def office(self, obj: Module):
        return obj.partnership.office

    @admin.display(description=_("taken / capacity"), ordering="taken")
    def places(self, obj: Module) -> str:
        return f"{obj.taken} / {obj.capacity}"


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["enrolment", "status", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_at"]
    autocomplete_fields = ["enrolment", "recorded_by"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enrolment__participant", "enrolment__module", "recorded_by")
        )


@admin.register(Session)
class SessionAdmin(KeepsReportRollup, SafeDateHierarchyMixin, SimpleHistoryAdmin):
    list_display = ["module", "date", "start_time", "end_time", "topic", "status", "office"]
    list_filter = ["status", "module__partnership__office", "module__offer_type"]
    date_hierarchy = "date"
    search_fields = ["module__title", "topic", "location"]
    autocomplete_fields = ["module"]
    list_select_related = ["module__partnership__office"]
    inlines = [AttendanceInline]
    rollup_module_path = "module_id"

    @admin.display(description=_("office"), ordering="module__partnership__office__name")
    def office(self, obj: Session):
        return obj.module.partnership.office


@admin.register(Participant)
class ParticipantAdmin(SafeDateHierarchyMixin, SimpleHistoryAdmin):
    # No national register number here: not in the list, not searchable.
    list_display = [
        "last_name",
        "first_name",
        "organisation_link",
        "caseworker",
        "nationality",
        "consent_date",
        "anonymised_at",
    ]
    # Not a list of 1,500 organisations: the organisation column links to its filter.
    list_filter = [
        "organisation__kind",
        ChosenOrganisationFilter,
        "gender",
        ("consent_date", admin.DateFieldListFilter),
        "anonymised_at",
    ]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["organisation", "caseworker", "consent_recorded_by"]
    list_select_related = ["organisation", "caseworker"]
    # Large tables (issue 10): no full count of the unfiltered table, no date hierarchy (its
    # year links are a DISTINCT over every row); a date filter of fixed periods instead.
    show_full_result_count = False
    readonly_fields = ["anonymised_at", "created_at", "updated_at"]

    @admin.display(description=_("organisation"), ordering="organisation__name")
    def organisation_link(self, obj: Participant):
        return format_html(
            '<a href="?{}={}">{}</a>',
            ChosenOrganisationFilter.parameter_name,
            obj.organisation_id,
            obj.organisation,
        )


@admin.register(Enrolment)
class EnrolmentAdmin(SafeDateHierarchyMixin, SimpleHistoryAdmin):
    list_display = [
        "participant",
        "module",
        "status",
        "waitlist_position",
        "enrolled_by",
        "enrolled_at",
    ]
    search_fields = [
        "participant__last_name",
        "participant__first_name",
        "module__title",
    ]
    list_select_related = ["participant", "module", "enrolled_by"]
    list_filter = [
        "status",
        "module__partnership__office",
        "participant__organisation__kind",
        ("enrolled_at", admin.DateFieldListFilter),
    ]
    # Newest first on the primary key: the model's ordering (by module) sorted every row.
    ordering = ["-pk"]
    show_full_result_count = False
    # Status, waiting-list position, client and module change only through the enrol,
    # withdraw and capacity services (the client's page in the app), which lock the module
    # row; here an administrator can correct the withdrawal reason (issue 8).
    readonly_fields = [
        "participant",
        "module",
        "status",
        "waitlist_position",
        "enrolled_by",
        "enrolled_at",
        "status_changed_at",
        "withdrawn_at",
        "completed_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attendance)
class AttendanceAdmin(KeepsReportRollup, SafeDateHierarchyMixin, SimpleHistoryAdmin):
    list_display = ["participant", "session", "status", "recorded_by", "recorded_at"]
    list_filter = [
        "status",
        "session__module__partnership__office",
        ("session__date", admin.DateFieldListFilter),
    ]
    search_fields = [
        "enrolment__participant__last_name",
        "enrolment__participant__first_name",
        "session__module__title",
    ]
    autocomplete_fields = ["enrolment", "session", "recorded_by"]
    list_select_related = ["enrolment__participant", "session__module", "recorded_by"]
    # A million rows: newest first on the primary key (the model orders by session, a sort
    # of every row), no full count, and fixed date periods instead of a date hierarchy.
    ordering = ["-pk"]
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 50
    readonly_fields = ["recorded_at"]
    rollup_module_path = "session__module_id"

    @admin.display(description=_("participant"), ordering="enrolment__participant__last_name")
    def participant(self, obj: Attendance):
        return obj.enrolment.participant


@admin.register(OfferRequest)
class OfferRequestAdmin(SafeDateHierarchyMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "partner",
        "office",
        "status",
        "received_on",
        "expected_participants",
        "language",
    ]
    list_filter = ["status", "office", "partner__kind", "language"]
    date_hierarchy = "received_on"
    search_fields = ["title", "target_group", "partner__name"]
    autocomplete_fields = [
        "office",
        "partner",
        "contact",
        "themes",
        "planned_partnership",
        "planned_module",
        "created_by",
    ]
    list_select_related = ["partner", "office"]
    readonly_fields = ["created_at"]


@admin.register(Evaluation)
class EvaluationAdmin(SafeDateHierarchyMixin, SimpleHistoryAdmin):
    list_display = ["date", "source", "rating", "partnership", "module", "created_by"]
    list_filter = ["source", "rating"]
    date_hierarchy = "date"
    search_fields = ["findings", "partnership__title", "module__title"]
    autocomplete_fields = ["partnership", "module", "created_by"]
    list_select_related = ["partnership", "module", "created_by"]
    readonly_fields = ["created_at"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(SafeDateHierarchyMixin, admin.ModelAdmin):
    """The access log is evidence: administrators may read it, nobody edits or deletes it."""

    list_display = ["at", "user", "action", "participant"]
    list_filter = ["action"]
    date_hierarchy = "at"
    search_fields = ["user__username", "participant__last_name"]
    list_select_related = ["user", "participant"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MailOptOut)
class MailOptOutAdmin(admin.ModelAdmin):
    """The kinds of mail users switched off on /account/ (for support: "I get no mail")."""

    list_display = ["user", "kind"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
