"""Reads for the caseworker screens: clients, open modules, enrolments; and who is told
about a client by e-mail."""

from collections.abc import Iterable

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partnerships.models import Membership, User
from partnerships.queries import search_text

from ..models import (
    Attendance,
    Enrolment,
    MailKind,
    MailOptOut,
    Module,
    Participant,
    PersonalDataAccess,
    Session,
)
from .scoping import (
    enrollable_modules,
    enrolments_visible_to,
    modules_visible_to,
    participants_visible_to,
    sees_whole_record,
    with_places,
)


def _next_session_date(module_ref: str = "pk") -> Subquery:
    """The date of the module's next (not cancelled) session from today on."""
    dates = (
        Session.objects.filter(module=OuterRef(module_ref), date__gte=timezone.localdate())
        .exclude(status=Session.Status.CANCELLED)
        .order_by("date", "start_time")
        .values("date")[:1]
    )
    return Subquery(dates, output_field=DateField())


def open_modules_for(user) -> QuerySet[Module]:
    """Modules a caseworker may enrol clients into: under an agreement with their organisation,
    accepting enrolments; with free places, waitlist length and next session date."""
    modules = modules_visible_to(user) & enrollable_modules()
    return (
        with_places(modules)
        .select_related("partnership", "partnership__office")
        .prefetch_related("themes")
        .annotate(next_session_date=_next_session_date())
        .order_by(F("next_session_date").asc(nulls_last=True), "title", "pk")
    )


def open_module_detail(user, pk) -> Module:
    """One open module with its sessions (404 if the user may not enrol into it)."""
    sessions = Session.objects.order_by("date", "start_time")
    modules = open_modules_for(user).prefetch_related(Prefetch("sessions", queryset=sessions))
    return get_object_or_404(modules, pk=pk)


CURRENT_ENROLMENT_STATUSES = (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED)


def _enrolled_in(module_ref, participant_ref) -> Exists:
    """A current (not withdrawn) enrolment of the participant in the module."""
    return Exists(
        Enrolment.objects.filter(participant=participant_ref, module=module_ref).exclude(
            status=Enrolment.Status.WITHDRAWN
        )
    )


def active_clients_for(user) -> QuerySet[Participant]:
    """The visible clients whose data can still change (not anonymised)."""
    return participants_visible_to(user).filter(anonymised_at__isnull=True)


def open_modules_for_client(user, participant: Participant) -> QuerySet[Module]:
    """The open modules a client can still be enrolled in (not already in, or withdrawn)."""
    return open_modules_for(user).exclude(_enrolled_in(OuterRef("pk"), participant))


def enrollable_clients_for(user, module: Module, search: str = "") -> QuerySet[Participant]:
    """The user's clients that can be enrolled in `module`: not anonymised, not already in it;
    with `search`, those whose name has every word of it, or whose client number it is."""
    clients = active_clients_for(user).exclude(_enrolled_in(module.pk, OuterRef("pk")))
    return (
        search_clients(clients, search)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


SEARCH_MAX_WORDS = 5


def search_clients(clients: QuerySet[Participant], search: str) -> QuerySet[Participant]:
    """Clients whose first or last name contains each word of `search` (case-insensitive);
    a word of digits is a client number (`Participant.client_number`)."""
    for word in search_text(search).split()[:SEARCH_MAX_WORDS]:
        if word.isdigit():
            clients = clients.filter(pk=int(word)) if len(word) <= 9 else clients.none()
        else:
            clients = clients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return clients


def clients_for(user) -> QuerySet[Participant]:
    """The client list: visible participants with their number of current enrolments that the
    user may see (staff: in their office's modules), counted like the rows are scoped."""
    current = (
        enrolments_visible_to(user)
        .filter(participant=OuterRef("pk"), status__in=CURRENT_ENROLMENT_STATUSES)
        .order_by()
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        participants_visible_to(user)
        .select_related("organisation", "caseworker")
        .annotate(current_enrolments=Coalesce(Subquery(current, output_field=IntegerField()), 0))
        .order_by("last_name", "first_name", "pk")
    )


def client_detail(user, pk) -> Participant:
    """A visible participant with the enrolments the user may see, their attendance and next
    session (`participant.visible_enrolments`); 404 for anyone else's client."""
    attendances = Attendance.objects.select_related("session").order_by(
        "session__date", "session__start_time"
    )
    enrolments = (
        enrolments_visible_to(user)
        .select_related("module", "module__partnership", "enrolled_by")
        .prefetch_related(Prefetch("attendances", queryset=attendances))
        .annotate(next_session_date=_next_session_date("module"))
        .order_by("-enrolled_at", "pk")
    )
    participants = participants_visible_to(user).select_related(
        "organisation", "caseworker", "consent_recorded_by"
    )
    participants = participants.prefetch_related(
        Prefetch("enrolments", queryset=enrolments, to_attr="visible_enrolments")
    )
    return get_object_or_404(participants, pk=pk)


def home_clients_for(user, limit: int = 25) -> QuerySet[Participant]:
    """Clients with a current enrolment (enrolled or waitlisted), soonest next session first;
    each carries `current` (its current enrolments) and `next_session_date`."""
    visible = enrolments_visible_to(user)
    current = (
        visible.filter(status__in=CURRENT_ENROLMENT_STATUSES)
        .select_related("module")
        .annotate(next_session_date=_next_session_date("module"))
        .order_by("module__title", "pk")
    )
    next_session = (
        Session.objects.filter(
            module__enrolments__participant=OuterRef("pk"),
            module__enrolments__status=Enrolment.Status.ENROLLED,
            date__gte=timezone.localdate(),
        )
        .exclude(status=Session.Status.CANCELLED)
        .order_by("date", "start_time")
        .values("date")[:1]
    )
    has_current = Exists(
        visible.filter(participant=OuterRef("pk"), status__in=CURRENT_ENROLMENT_STATUSES)
    )
    return (
        participants_visible_to(user)
        .filter(has_current)
        .annotate(next_session_date=Subquery(next_session, output_field=DateField()))
        .prefetch_related(Prefetch("enrolments", queryset=current, to_attr="current"))
        .order_by(F("next_session_date").asc(nulls_last=True), "last_name", "first_name")[:limit]
    )


def enrolment_for_withdrawal(user, pk) -> Enrolment:
    """A visible enrolment that can still be withdrawn from (404 otherwise)."""
    enrolments = enrolments_visible_to(user).select_related("participant", "module")
    return get_object_or_404(enrolments, pk=pk)


def participants_to_anonymise(*, years: int, now=None) -> QuerySet[Participant]:
    """Not yet anonymised participants without any activity for `years` years: no enrolment
    enrolled, changed, withdrawn or completed, and no attendance recorded, since the cut-off;
    participants without enrolments count from their registration."""
    now = now or timezone.now()
    try:
        cutoff = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        cutoff = now.replace(year=now.year - years, day=28)
    recent_enrolment = Enrolment.objects.filter(participant=OuterRef("pk")).filter(
        Q(enrolled_at__gte=cutoff)
        | Q(status_changed_at__gte=cutoff)
        | Q(withdrawn_at__gte=cutoff)
        | Q(completed_at__gte=cutoff)
    )
    recent_attendance = Attendance.objects.filter(
        enrolment__participant=OuterRef("pk"), recorded_at__gte=cutoff
    )
    return (
        Participant.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .exclude(Exists(recent_enrolment))
        .exclude(Exists(recent_attendance))
        .order_by("pk")
    )


def caseworker_emails_for(
    participants: Iterable[Participant], *, kind: str
) -> dict[int, list[str]]:
    """Who is told about each client by e-mail (participant pk → addresses), the one rule:
    only active users who today hold a caseworker membership at the client's organisation —
    the client's own caseworker if that is still true of them, else every such caseworker of
    the organisation — and who have not switched off this `kind` of mail (`MailKind`, on
    /account/). A caseworker who left (deactivated) or moved to another organisation gets
    nothing; an own caseworker who switched the kind off is not replaced by colleagues.
    Two queries, whatever the number of clients."""
    participants = list(participants)
    organisation_ids = {p.organisation_id for p in participants}
    opted_out = MailOptOut.objects.filter(user=OuterRef("pk"), kind=MailKind(kind))
    caseworkers = (
        User.objects.filter(
            is_active=True,
            membership__role=Membership.Role.CASEWORKER,
            membership__organisation_id__in=organisation_ids,
        )
        .exclude(email="")
        .annotate(opted_out=Exists(opted_out))
        .values_list("pk", "email", "membership__organisation_id", "opted_out")
        .order_by("email")
    )
    by_organisation: dict[int, dict[int, str]] = {}
    silent: set[int] = set()
    for pk, email, organisation_id, is_opted_out in caseworkers:
        by_organisation.setdefault(organisation_id, {})[pk] = email
        if is_opted_out:
            silent.add(pk)
    recipients = {}
    for participant in participants:
        present = by_organisation.get(participant.organisation_id, {})
        if participant.caseworker_id in present:
            chosen = [participant.caseworker_id]
        else:
            chosen = list(present)
        recipients[participant.pk] = [present[pk] for pk in chosen if pk not in silent]
    return recipients


ACCESS_LOG_LIMIT = 50


def data_access_log(user, participant: Participant) -> list[PersonalDataAccess] | None:
    """The latest entries of a client's personal-data access log (who revealed the number,
    exported, erased, when), for those who see the whole record; None for anyone else."""
    if not sees_whole_record(user, participant):
        return None
    return list(
        PersonalDataAccess.objects.filter(participant=participant)
        .select_related("user")
        .order_by("-at", "-pk")[:ACCESS_LOG_LIMIT]
    )


def mail_kinds_off_for(user) -> set[str]:
    """The kinds of mail `user` switched off."""
    return set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True))


def clients_by_caseworker_email(
    enrolments: QuerySet[Enrolment], *, kind: str
) -> dict[str, list[str]]:
    """The clients of `enrolments` by the address to tell about them for this `kind` of mail
    (see `caseworker_emails_for`), as "first last" names sorted by last name."""
    participants = [
        e.participant
        for e in enrolments.select_related("participant").order_by(
            "participant__last_name", "participant__first_name", "pk"
        )
    ]
    recipients = caseworker_emails_for(participants, kind=kind)
    names: dict[str, list[str]] = {}
    for participant in participants:
        for email in recipients[participant.pk]:
            names.setdefault(email, []).append(f"{participant.first_name} {participant.last_name}")
    return names
