"""Reads for the partnerships app: what each user may see."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from .access import (
    ADMIN,
    CASEWORKER,
    MANAGER,
    STAFF,
    membership_of,
    office_id_of,
    role_of,
    sees_all_offices,
)
from .history import History, Source, read_history
from .models import (
    ContactPerson,
    Office,
    PartnerOrganisation,
    Partnership,
    PartnershipPartner,
    PlanTarget,
)


def offices_visible_to(user) -> QuerySet[Office]:
    if sees_all_offices(user):
        return Office.objects.all()
    membership = membership_of(user)
    if membership and membership.role in (STAFF, MANAGER) and membership.office_id:
        return Office.objects.filter(pk=membership.office_id)
    return Office.objects.none()


def partnerships_visible_to(user) -> QuerySet[Partnership]:
    """Staff and office managers: their office's agreements; caseworkers: their organisation's."""
    role = role_of(user)
    qs = Partnership.objects.all()
    if sees_all_offices(user):  # administrators included
        return qs
    membership = membership_of(user)
    if role in (STAFF, MANAGER):
        return qs.filter(office_id=membership.office_id)
    if role == CASEWORKER:
        return qs.filter(partnershippartner__organisation_id=membership.organisation_id)
    return qs.none()


def plan_targets_visible_to(user) -> QuerySet[PlanTarget]:
    """The multi-year plans of the agreements the user may see."""
    return PlanTarget.objects.filter(partnership__in=partnerships_visible_to(user))


def partner_organisations_visible_to(user) -> QuerySet[PartnerOrganisation]:
    """Partner organisations are shared by all offices; a caseworker sees only their own."""
    role = role_of(user)
    qs = PartnerOrganisation.objects.all()
    if role in (ADMIN, STAFF, MANAGER):
        return qs
    if role == CASEWORKER:
        return qs.filter(pk=membership_of(user).organisation_id)
    return qs.none()


# --- staff screens: partner organisations and cooperation agreements --------------------
# The partnerships app is the bottom layer: it reaches modules, sessions and evaluations only
# through reverse relations ("modules__sessions"), never by importing the modules app.


def partner_list(user) -> QuerySet[PartnerOrganisation]:
    """Partner organisations for the list page, with the number of agreements of the office."""
    office_id = office_id_of(user)
    agreements = Q(partnershippartner__isnull=False)
    if not sees_all_offices(user):
        agreements &= Q(partnershippartner__partnership__office_id=office_id)
    return partner_organisations_visible_to(user).annotate(
        agreement_count=Count("partnershippartner", filter=agreements, distinct=True)
    )


def partner_partnerships(user, organisation: PartnerOrganisation) -> QuerySet[Partnership]:
    """The agreements the user may see in which `organisation` takes part, with their modules."""
    return (
        partnerships_visible_to(user)
        .filter(partnershippartner__organisation=organisation)
        .select_related("lead_partner")
        .prefetch_related("modules")
        .distinct()
    )


def partnership_list(user) -> QuerySet[Partnership]:
    return (
        partnerships_visible_to(user)
        .select_related("lead_partner", "office")
        .annotate(partner_count=Count("partnershippartner", distinct=True))
    )


def partnership_detail(user) -> QuerySet[Partnership]:
    """Agreements with what the detail page shows, fetched in a fixed number of queries."""
    return (
        partnerships_visible_to(user)
        .select_related("lead_partner", "office")
        .prefetch_related(
            Prefetch("partners", queryset=PartnerOrganisation.objects.order_by("name")),
            "plan_targets",
            "modules",
            "evaluations",
        )
    )


def realised_by_year(partnership: Partnership) -> dict[int, dict[str, int]]:
    """Per year: modules with at least one held session, held sessions, distinct participants
    present at a held session. One aggregate query."""
    held = Q(modules__sessions__status="held")
    rows = (
        Partnership.objects.filter(pk=partnership.pk)
        .filter(held)
        .annotate(year=ExtractYear("modules__sessions__date"))
        .order_by()
        .values("year")
        .annotate(
            n_modules=Count("modules", distinct=True),
            n_sessions=Count("modules__sessions", distinct=True),
            n_participants=Count(
                "modules__sessions__attendances__enrolment__participant",
                filter=Q(modules__sessions__attendances__status="present"),
                distinct=True,
            ),
        )
    )
    return {
        row["year"]: {
            "modules": row["n_modules"],
            "sessions": row["n_sessions"],
            "participants": row["n_participants"],
        }
        for row in rows
    }


def plan_against_realised(partnership: Partnership) -> list[dict]:
    """One row per year that has a plan target or realised activity, oldest first."""
    realised = realised_by_year(partnership)
    targets = {target.year: target for target in partnership.plan_targets.all()}
    empty = {"modules": 0, "sessions": 0, "participants": 0}
    return [
        {"year": year, "target": targets.get(year), "realised": realised.get(year, empty)}
        for year in sorted(set(targets) | set(realised))
    ]


def partnerships_ending_soon(user, *, today: datetime.date, days: int = 60):
    """Draft or active agreements whose end date falls within `days` from `today`."""
    return (
        partnerships_visible_to(user)
        .filter(
            status__in=(Partnership.Status.DRAFT, Partnership.Status.ACTIVE),
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=days),
        )
        .select_related("lead_partner")
        .order_by("end_date", "title")
    )


# --- search-as-you-type choices (issue 10) ------------------------------------------------

CHOICES_LIMIT = 20


def partners_of_visible_agreements(user) -> QuerySet[PartnerOrganisation]:
    """Partners that take part in an agreement the user may see."""
    return PartnerOrganisation.objects.filter(
        pk__in=PartnershipPartner.objects.filter(
            partnership__in=partnerships_visible_to(user)
        ).values("organisation_id")
    ).order_by("name")


def lead_partners_of_visible_agreements(user) -> QuerySet[PartnerOrganisation]:
    """Partners leading an agreement the user may see: the yearly report's partner filter."""
    return PartnerOrganisation.objects.filter(
        pk__in=partnerships_visible_to(user).values("lead_partner_id")
    ).order_by("name")


def text_choices(rows: QuerySet, text: str, field: str, label=None) -> list[dict]:
    """At most CHOICES_LIMIT of `rows` (a field's or filter's own scoped queryset, in the
    order to show) whose `field` contains `text` (two characters at least), as {"id",
    "text"}; `label(row)` names a row (default: `field` itself)."""
    text = search_text(text)
    if len(text) < 2:
        return []
    found = rows.filter(**{f"{field}__icontains": text})
    if label is None:
        return [
            {"id": str(pk), "text": name}
            for pk, name in found.values_list("pk", field)[:CHOICES_LIMIT]
        ]
    return [{"id": str(row.pk), "text": label(row)} for row in found[:CHOICES_LIMIT]]


def partner_choices(partners: QuerySet[PartnerOrganisation], text: str) -> list[dict]:
    """At most CHOICES_LIMIT of `partners` whose name contains `text`."""
    return text_choices(partners, text, "name")


def choosable_partners() -> QuerySet[PartnerOrganisation]:
    """Partners a form may choose for a new agreement or request: the active ones (shared by
    all offices); an agreement's current, since deactivated partners stay (its form adds them)."""
    return PartnerOrganisation.objects.filter(is_active=True).order_by("name")


def partner_search_rows(
    user, *, of_agreements: bool = False, active: bool = False
) -> QuerySet[PartnerOrganisation]:
    """The partner search's rows: partners of the user's agreements (the list filters), or
    the partners the user may see, with `active` only those a form may choose."""
    if of_agreements:
        return partners_of_visible_agreements(user)
    partners = partner_organisations_visible_to(user).order_by("name")
    if active:
        partners = partners.filter(pk__in=choosable_partners().values("pk"))
    return partners


def requestable_contacts(partner_id: int | None = None) -> QuerySet[ContactPerson]:
    """Contact persons a request can name: the active ones of active partners (`partner_id`:
    of that partner only)."""
    contacts = ContactPerson.objects.filter(is_active=True, organisation__is_active=True)
    if partner_id is not None:
        contacts = contacts.filter(organisation_id=partner_id)
    return contacts.select_related("organisation").order_by("organisation__name", "name")


SEARCH_MAX_LENGTH = 100


def search_text(raw) -> str:
    """What a user typed into a search box (?q=, read without a form), as the queries take
    it: without NUL characters (PostgreSQL refuses them in a text: the page would fail; a
    form's CharField refuses them itself), without outer spaces, at most 100 characters."""
    return str(raw or "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]


def chosen_id(value) -> int | None:
    """A submitted or initial choice as an id, or None (nothing chosen, or not an id)."""
    value = getattr(value, "pk", value)
    text = str(value) if value is not None else ""
    return int(text) if text.isdigit() and int(text) < 2**63 else None


def contact_choices(contacts: QuerySet[ContactPerson]) -> list[dict]:
    """Contacts as {"id", "text"} (a dependent choice's options: one partner's or one
    agreement's partners' contacts, a handful), named as their form fields name them
    (`ContactPerson.__str__`: name and organisation)."""
    return [{"id": str(contact.pk), "text": str(contact)} for contact in contacts]


def partnership_choices(user, text: str) -> list[dict]:
    """At most CHOICES_LIMIT visible agreements whose title contains `text`."""
    return text_choices(partnerships_visible_to(user).order_by("title", "pk"), text, "title")


def partner_history(organisation: PartnerOrganisation, *, show_all: bool = False) -> History:
    """A partner organisation's change history (the page's scoping applies: staff)."""
    label = str(PartnerOrganisation._meta.verbose_name)
    rows = PartnerOrganisation.history.filter(id=organisation.pk)
    return read_history([Source(rows, lambda row: label)], show_all=show_all)


def partnership_history(partnership: Partnership, *, show_all: bool = False) -> History:
    """An agreement's change history (the page's scoping applies: staff of its office)."""
    label = str(Partnership._meta.verbose_name)
    rows = Partnership.history.filter(id=partnership.pk)
    return read_history([Source(rows, lambda row: label)], show_all=show_all)
