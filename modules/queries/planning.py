"""Reads for the staff planning screens: modules with their places, sessions, attendance."""

from django.db.models import (
    DateField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import (
    Attendance,
    Enrolment,
    Evaluation,
    Module,
    OfferRequest,
    Session,
)
from .scoping import modules_visible_to, sessions_visible_to, with_places

# Enrolments that belong on a session's attendance list (a no-show was expected to come).
ATTENDEE_STATUSES = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
    Enrolment.Status.NO_SHOW,
)


def _session_date(aggregate) -> Subquery:
    dates = (
        Session.objects.filter(module=OuterRef("pk"))
        .exclude(status=Session.Status.CANCELLED)
        .order_by()
        .values("module")
        .annotate(d=aggregate("date"))
        .values("d")[:1]
    )
    return Subquery(dates, output_field=DateField())


def planning_modules_for(user) -> QuerySet[Module]:
    """The staff module list: visible modules with places and first/last session date."""
    return (
        with_places(modules_visible_to(user))
        .select_related("partnership", "partnership__office")
        .annotate(first_date=_session_date(Min), last_date=_session_date(Max))
        .order_by("-created_at", "title")
    )


def planning_module_detail(user, pk) -> Module:
    """One visible module with everything its detail page shows, in a fixed number of queries.

    Raises Http404 for a module the user may not see.
    """
    enrolments = Enrolment.objects.select_related("participant", "participant__organisation")
    modules = (
        with_places(modules_visible_to(user))
        .select_related(
            "partnership",
            "partnership__office",
            "partner_facilitator",
            "partner_facilitator__organisation",
        )
        .prefetch_related(
            "themes",
            "objectives",
            "sessions",
            Prefetch(
                "enrolments", queryset=enrolments.order_by("waitlist_position", "enrolled_at")
            ),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("-date")),
            Prefetch("answered_requests", queryset=OfferRequest.objects.order_by("pk")),
        )
    )
    return get_object_or_404(modules, pk=pk)


def group_enrolments(module: Module) -> dict[str, list[Enrolment]]:
    """Split a module's prefetched enrolments for the detail page (waitlist in order)."""
    groups: dict[str, list[Enrolment]] = {
        "enrolled": [],
        "waitlisted": [],
        "withdrawn": [],
        "finished": [],
    }
    for enrolment in module.enrolments.all():
        if enrolment.status == Enrolment.Status.ENROLLED:
            groups["enrolled"].append(enrolment)
        elif enrolment.status == Enrolment.Status.WAITLISTED:
            groups["waitlisted"].append(enrolment)
        elif enrolment.status == Enrolment.Status.WITHDRAWN:
            groups["withdrawn"].append(enrolment)
        else:
            groups["finished"].append(enrolment)
    groups["waitlisted"].sort(key=lambda e: e.waitlist_position or 0)
    return groups


def planning_session(user, pk) -> Session:
    """A visible session with its module and office (404 for others' sessions)."""
    sessions = sessions_visible_to(user).select_related("module", "module__partnership")
    return get_object_or_404(sessions, pk=pk)


def attendance_enrolments(session: Session) -> QuerySet[Enrolment]:
    """Who belongs on a session's attendance page: everyone enrolled, completed or no-show,
    plus anyone already marked for this session (e.g. withdrawn later). Each row carries
    the status recorded for this session (`recorded_status`, None if not yet recorded)."""
    recorded = Attendance.objects.filter(enrolment=OuterRef("pk"), session=session)
    return (
        Enrolment.objects.filter(module_id=session.module_id)
        .annotate(recorded_status=Subquery(recorded.values("status")[:1]))
        .filter(Q(status__in=ATTENDEE_STATUSES) | Q(recorded_status__isnull=False))
        .select_related("participant", "participant__organisation")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def certificate_enrolment(user, pk) -> Enrolment:
    """A completed enrolment in a module the user may see, with its attended hours (404 else)."""
    enrolments = Enrolment.objects.filter(
        module__in=modules_visible_to(user), status=Enrolment.Status.COMPLETED
    ).select_related("participant", "module", "module__partnership__office")
    enrolment = get_object_or_404(enrolments, pk=pk)
    held = Session.objects.filter(module_id=enrolment.module_id, status=Session.Status.HELD)
    attended = [
        a.session
        for a in enrolment.attendances.filter(
            status=Attendance.Status.PRESENT, session__status=Session.Status.HELD
        ).select_related("session")
    ]
    dates = held.aggregate(first=Min("date"), last=Max("date"))
    enrolment.hours_attended = round(sum(s.duration_hours for s in attended), 1)
    enrolment.sessions_attended = len(attended)
    enrolment.sessions_held = held.count()
    enrolment.first_date = dates["first"]
    enrolment.last_date = dates["last"]
    enrolment.theme_names = [t.name for t in enrolment.module.themes.all()]
    # Signed on the day of closing, but never before the last session (a module closed early,
    # before that was refused, keeps an honest date).
    signed = timezone.localdate(enrolment.completed_at) if enrolment.completed_at else None
    dates_known = [d for d in (signed, enrolment.last_date) if d is not None]
    enrolment.certificate_date = max(dates_known) if dates_known else None
    return enrolment


def staff_enrolment(user, pk) -> Enrolment:
    """A current (enrolled or waitlisted) enrolment in a module the user may see, for the
    staff's waiting-list page (404 for another office's enrolment or a finished one)."""
    enrolments = Enrolment.objects.filter(
        module__in=modules_visible_to(user),
        status__in=(Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED),
    ).select_related("participant", "participant__organisation")
    enrolment = get_object_or_404(enrolments, pk=pk)
    # The module with its places (free, waiting), fetched once the enrolment is known visible.
    enrolment.module = with_places(Module.objects.filter(pk=enrolment.module_id)).get()
    return enrolment
