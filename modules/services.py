"""Writes for the modules app: each function validates, changes state in a transaction,
and returns the result or raises `DomainError` with a translated message."""

import datetime
import logging
from dataclasses import dataclass
from smtplib import SMTPException
from typing import Any

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from partnerships.access import CASEWORKER, MANAGER, organisation_id_of, role_of
from partnerships.validators import format_national_register_number

from .models import Attendance, Enrolment, Module, Participant, PersonalDataAccess, Session
from .queries import (
    attendance_enrolments,
    participants_to_anonymise,
    taken_places,
)

logger = logging.getLogger(__name__)


class DomainError(ValidationError):
    """A business rule refused the action; the message is for the user, in their language."""


# --- planning: sessions, attendance, completion, cancellation (staff) ------------------

# 11 July (Feest van de Vlaamse Gemeenschap) is not in holidays.Belgium's national list,
# but the agencies are Flemish and closed that day, so the generator skips it as well.
FLEMISH_COMMUNITY_DAY = (7, 11)


@dataclass(frozen=True, kw_only=True)
class SessionRule:
    """A recurring series: one weekday (0 = Monday), every `interval_weeks` weeks, from
    `start_date` until `count` sessions are planned or up to `end_date` (one of the two)."""

    weekday: int
    start_time: datetime.time
    end_time: datetime.time
    start_date: datetime.date
    count: int | None = None
    end_date: datetime.date | None = None
    interval_weeks: int = 1
    location: str = ""
    topic: str = ""


MAX_SERIES_SESSIONS = 60
MAX_SERIES_DAYS = 2 * 366
MIN_SERIES_YEAR, MAX_SERIES_YEAR = 2000, 2100


def public_holidays(years) -> dict[datetime.date, str]:
    """Belgian public holidays plus the Flemish Community's day, named in the active language."""
    language = "nl" if (translation.get_language() or "nl").startswith("nl") else "en_US"
    found = dict(holidays.Belgium(years=years, language=language).items())
    name = _("Day of the Flemish Community")
    for year in years:
        found.setdefault(datetime.date(year, *FLEMISH_COMMUNITY_DAY), str(name))
    return found


def plan_session_dates(
    rule: SessionRule,
) -> tuple[list[datetime.date], list[tuple[datetime.date, str]]]:
    """The dates a rule gives, and the (date, holiday name) pairs it skipped.

    With `count`, skipped holidays do not count: the series gets `count` real sessions.
    Pure (no database), so the preview and the save use the very same computation.
    """
    if (rule.count is None) == (rule.end_date is None):
        raise DomainError(_("Give either a number of sessions or an end date."))
    if rule.count is not None and not 1 <= rule.count <= MAX_SERIES_SESSIONS:
        raise DomainError(
            _("A series has between 1 and %(max)d sessions.") % {"max": MAX_SERIES_SESSIONS}
        )
    if rule.end_date is not None and rule.end_date < rule.start_date:
        raise DomainError(_("The end date cannot be before the start date."))
    if rule.interval_weeks not in (1, 2):
        raise DomainError(_("A series repeats every week or every two weeks."))
    if not MIN_SERIES_YEAR <= rule.start_date.year <= MAX_SERIES_YEAR:
        raise DomainError(
            _("A series starts between %(min)d and %(max)d.")
            % {"min": MIN_SERIES_YEAR, "max": MAX_SERIES_YEAR}
        )
    if rule.end_date is not None and (rule.end_date - rule.start_date).days > MAX_SERIES_DAYS:
        raise DomainError(_("A series spans at most two years."))
    offset = (rule.weekday - rule.start_date.weekday()) % 7
    first = rule.start_date + datetime.timedelta(days=offset)
    step = datetime.timedelta(weeks=rule.interval_weeks)
    # With a count, the holidays skipped on the way can never be more than a handful.
    last = rule.end_date or first + step * (rule.count + 30)
    closed = public_holidays(range(first.year, last.year + 1))
    dates: list[datetime.date] = []
    skipped: list[tuple[datetime.date, str]] = []
    day = first
    while day <= last and (rule.count is None or len(dates) < rule.count):
        if day in closed:
            skipped.append((day, closed[day]))
        else:
            dates.append(day)
        day += step
    if len(dates) > MAX_SERIES_SESSIONS:
        raise DomainError(
            _("A series has between 1 and %(max)d sessions.") % {"max": MAX_SERIES_SESSIONS}
        )
    return dates, skipped


def _lock_module(module: Module) -> Module:
    # Re-read the row under a lock: concurrent planning actions on one module serialise here.
    return Module.objects.select_for_update().get(pk=module.pk)


def _refuse_if_finished(module: Module) -> None:
    if module.status in (Module.Status.CANCELLED, Module.Status.COMPLETED):
        raise DomainError(_("This module is cancelled or completed; it can no longer be planned."))


def save_module(*, module: Module, themes, objectives, by) -> Module:
    """Create or update a module (the form validated the fields) with its themes/objectives."""
    with transaction.atomic():
        if module.pk:
            current = _lock_module(module)
            _refuse_if_finished(current)
            taken = taken_places(current.pk)
            if module.capacity < taken:
                raise DomainError(
                    _("Capacity cannot be below the %(n)d participants already enrolled.")
                    % {"n": taken}
                )
        module.save()
        module.themes.set(themes)
        module.objectives.set(objectives)
        # More places (or enrolment reopened): the waiting list moves up at once, in order.
        fill_free_places(module=module)
    return module


def cancel_module(*, module: Module, reason: str, by) -> Module:
    """Cancel a module: closed for enrolment, planned sessions cancelled, and the caseworkers
    of enrolled and waitlisted clients told by e-mail (one mail each, after the commit)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the cancellation."))
    with transaction.atomic():
        module = _lock_module(module)
        _refuse_if_finished(module)
        module.status = Module.Status.CANCELLED
        module.enrolment_open = False
        module.cancel_reason = reason
        module.save(update_fields=["status", "enrolment_open", "cancel_reason", "updated_at"])
        module.sessions.filter(status=Session.Status.PLANNED).update(
            status=Session.Status.CANCELLED, cancel_reason=reason[:300]
        )
        affected = (
            Enrolment.objects.filter(
                module=module,
                status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED],
                participant__caseworker__isnull=False,
            )
            .exclude(participant__caseworker__email="")
            .select_related("participant", "participant__caseworker")
            .order_by("participant__last_name", "participant__first_name")
        )
        clients_by_email: dict[str, list[str]] = {}
        for enrolment in affected:
            participant = enrolment.participant
            # Names only: no national register number or other data leaves by e-mail.
            clients_by_email.setdefault(participant.caseworker.email, []).append(
                f"{participant.first_name} {participant.last_name}"
            )
        title = module.title
        transaction.on_commit(
            lambda: _mail_cancellation(title=title, reason=reason, clients=clients_by_email),
            robust=True,
        )
    return module


def _mail_cancellation(*, title: str, reason: str, clients: dict[str, list[str]]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Module cancelled: %(title)s") % {"title": title}
        messages = []
        for email, names in clients.items():
            body = render_to_string(
                "modules/planning/email_module_cancelled.txt",
                {"title": title, "reason": reason, "names": names},
            )
            messages.append((subject, body, None, [email]))
        send_mass_mail(messages, fail_silently=False)


def add_session(*, session: Session, by) -> Session:
    """Add one session to a module that is still being planned or run."""
    with transaction.atomic():
        _refuse_if_finished(_lock_module(session.module))
        session.status = Session.Status.PLANNED
        session.full_clean()
        session.save()
    return session


def generate_sessions(*, module: Module, rule: SessionRule) -> list[Session]:
    """Create the series of sessions `rule` gives (holidays skipped), all or nothing."""
    dates, _skipped = plan_session_dates(rule)
    if not dates:
        raise DomainError(_("This series gives no dates."))
    if rule.end_time <= rule.start_time:
        raise DomainError(_("The end time must be after the start time."))
    with transaction.atomic():
        _refuse_if_finished(_lock_module(module))
        return Session.objects.bulk_create(
            Session(
                module=module,
                date=day,
                start_time=rule.start_time,
                end_time=rule.end_time,
                location=rule.location,
                topic=rule.topic,
            )
            for day in dates
        )


def _lock_open_session(session: Session) -> Session:
    session = Session.objects.select_for_update().select_related("module").get(pk=session.pk)
    if session.status == Session.Status.HELD:
        raise DomainError(_("This session has been held; it cannot be moved or cancelled."))
    if session.status == Session.Status.CANCELLED:
        raise DomainError(_("This session is cancelled."))
    return session


def update_session(*, session: Session, location: str, topic: str, by) -> Session:
    """Change what a session is about or where it is (any session that is not cancelled)."""
    with transaction.atomic():
        current = Session.objects.select_for_update().get(pk=session.pk)
        if current.status == Session.Status.CANCELLED:
            raise DomainError(_("This session is cancelled."))
        current.location = location
        current.topic = topic
        current.save(update_fields=["location", "topic"])
    return current


def move_session(
    *,
    session: Session,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    by,
) -> Session:
    """Give a planned session a new date and time."""
    if end_time <= start_time:
        raise DomainError(_("The end time must be after the start time."))
    with transaction.atomic():
        current = _lock_open_session(session)
        current.date, current.start_time, current.end_time = date, start_time, end_time
        current.save(update_fields=["date", "start_time", "end_time"])
    return current


def cancel_session(*, session: Session, reason: str, by) -> Session:
    """Cancel a planned session, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the cancellation."))
    with transaction.atomic():
        current = _lock_open_session(session)
        current.status = Session.Status.CANCELLED
        current.cancel_reason = reason[:300]
        current.save(update_fields=["status", "cancel_reason"])
    return current


def record_attendance(*, session: Session, marks: dict[int, str], by) -> int:
    """Save present/absent/excused for the session's participants in one go and mark the
    session held. All or nothing: any enrolment outside the session's list refuses the lot.
    Returns the number of marks saved."""
    valid_statuses = set(Attendance.Status.values)
    if any(status not in valid_statuses for status in marks.values()):
        raise DomainError(_("Choose present, absent or excused."))
    with transaction.atomic():
        # Lock the module first (as cancel_module and close_module do): closing or cancelling
        # the module cannot interleave with saving its attendance.
        module = _lock_module(session.module)
        session = Session.objects.select_for_update().get(pk=session.pk)
        session.module = module
        if session.status == Session.Status.CANCELLED:
            raise DomainError(_("This session is cancelled; attendance cannot be recorded."))
        if session.module.status == Module.Status.CANCELLED:
            raise DomainError(_("This module is cancelled; attendance cannot be recorded."))
        if session.module.status == Module.Status.COMPLETED:
            # Completion was decided on the recorded attendance; it stays as it was.
            raise DomainError(_("This module is closed; its attendance can no longer change."))
        allowed = set(attendance_enrolments(session).values_list("pk", flat=True))
        if set(marks) - allowed:
            raise DomainError(
                _("Some participants are not enrolled in this module; nothing was saved.")
            )
        existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
        now = timezone.now()
        to_update, to_create = [], []
        for enrolment_id, status in marks.items():
            if enrolment_id in existing:
                attendance = existing[enrolment_id]
                attendance.status, attendance.recorded_by, attendance.recorded_at = (
                    status,
                    by,
                    now,
                )
                to_update.append(attendance)
            else:
                to_create.append(
                    Attendance(
                        session=session, enrolment_id=enrolment_id, status=status, recorded_by=by
                    )
                )
        # bulk_* skip save() and so the per-row history; the whole page is one change.
        Attendance.objects.bulk_create(to_create)
        Attendance.objects.bulk_update(to_update, ["status", "recorded_by", "recorded_at"])
        if session.status != Session.Status.HELD:
            session.status = Session.Status.HELD
            session.save(update_fields=["status"])
    return len(marks)


def close_module(*, module: Module, by) -> Module:
    """Close a module whose sessions are all held or cancelled (at least one held).

    Enrolled participants who attended at least the threshold share of the held sessions
    become `completed`, the others `no_show`; the waiting list is withdrawn ("module
    closed"). Only `present` counts as attended (excused is not attended).
    """
    with transaction.atomic():
        module = _lock_module(module)
        _refuse_if_finished(module)
        sessions = module.sessions.aggregate(
            planned=Count("pk", filter=Q(status=Session.Status.PLANNED)),
            held=Count("pk", filter=Q(status=Session.Status.HELD)),
        )
        if sessions["planned"]:
            raise DomainError(
                _("%(n)d sessions are still planned: record their attendance or cancel them.")
                % {"n": sessions["planned"]}
            )
        if not sessions["held"]:
            raise DomainError(_("No session of this module has been held; cancel it instead."))
        held = sessions["held"]
        now = timezone.now()
        enrolments = module.enrolments.filter(status=Enrolment.Status.ENROLLED).annotate(
            present=Count(
                "attendances",
                filter=Q(
                    attendances__status=Attendance.Status.PRESENT,
                    attendances__session__status=Session.Status.HELD,
                ),
            )
        )
        changed = []
        for enrolment in enrolments:
            # Integer arithmetic: exactly at the threshold counts as completed.
            if enrolment.present * 100 >= module.completion_threshold * held:
                enrolment.status = Enrolment.Status.COMPLETED
                enrolment.completed_at = now
            else:
                enrolment.status = Enrolment.Status.NO_SHOW
            enrolment.status_changed_at = now
            changed.append(enrolment)
        Enrolment.objects.bulk_update(changed, ["status", "completed_at", "status_changed_at"])
        module.enrolments.filter(status=Enrolment.Status.WAITLISTED).update(
            status=Enrolment.Status.WITHDRAWN,
            waitlist_position=None,
            withdrawn_at=now,
            withdrawal_reason=str(_("Module closed")),
            status_changed_at=now,
        )
        module.status = Module.Status.COMPLETED
        module.enrolment_open = False
        module.save(update_fields=["status", "enrolment_open", "updated_at"])
    return module


# --- offer requests and evaluations (staff) --------------------------------------------

from collections.abc import Iterable as _Iterable  # noqa: E402

from partnerships.models import ContactPerson as _ContactPerson  # noqa: E402
from partnerships.models import Office as _Office  # noqa: E402
from partnerships.models import PartnerOrganisation as _PartnerOrganisation  # noqa: E402
from partnerships.models import Partnership as _Partnership  # noqa: E402

from .models import Evaluation as _Evaluation  # noqa: E402
from .models import OfferRequest as _OfferRequest  # noqa: E402
from .models import Theme as _Theme  # noqa: E402

_OPEN_REQUEST = (_OfferRequest.Status.NEW, _OfferRequest.Status.UNDER_REVIEW)


@transaction.atomic
def create_offer_request(
    *,
    office: _Office,
    partner: _PartnerOrganisation,
    title: str,
    created_by,
    contact: _ContactPerson | None = None,
    themes: _Iterable[_Theme] = (),
    target_group: str = "",
    expected_participants: int | None = None,
    language: str = "nl",
    description: str = "",
    received_on: datetime.date | None = None,
) -> _OfferRequest:
    """Record a partner's request for an offer, handled by `office` (staff enter it for them)."""
    if contact is not None and contact.organisation_id != partner.pk:
        raise DomainError({"contact": _("The contact person must work at the requesting partner.")})
    offer_request = _OfferRequest.objects.create(
        office=office,
        partner=partner,
        contact=contact,
        title=title,
        target_group=target_group,
        expected_participants=expected_participants,
        language=language,
        description=description,
        received_on=received_on or timezone.localdate(),
        created_by=created_by,
    )
    offer_request.themes.set(themes)
    return offer_request


def _lock_open_request(offer_request: _OfferRequest) -> _OfferRequest:
    # Re-read under a row lock so that two staff members cannot handle the same request twice.
    locked = _OfferRequest.objects.select_for_update().get(pk=offer_request.pk)
    if locked.status not in _OPEN_REQUEST:
        raise DomainError(
            _("This request is already %(status)s; it cannot be handled again.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def review_offer_request(*, offer_request: _OfferRequest) -> _OfferRequest:
    """new → under review."""
    locked = _lock_open_request(offer_request)
    if locked.status != _OfferRequest.Status.NEW:
        raise DomainError(_("Only a new request can be taken under review."))
    locked.status = _OfferRequest.Status.UNDER_REVIEW
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def plan_offer_request(
    *,
    offer_request: _OfferRequest,
    partnership: _Partnership | None = None,
    module: Module | None = None,
) -> _OfferRequest:
    """new/under review → planned, linked to the office's agreement and/or module answering it."""
    locked = _lock_open_request(offer_request)
    if partnership is None and module is None:
        raise DomainError(
            _("Choose the agreement or the module that answers this request."), code="no_link"
        )
    if module is not None:
        if partnership is not None and module.partnership_id != partnership.pk:
            raise DomainError(
                {"planned_module": _("This module does not belong to the chosen agreement.")}
            )
        partnership = partnership or module.partnership
    if partnership.office_id != locked.office_id:
        raise DomainError(_("The agreement must belong to the office handling the request."))
    locked.status = _OfferRequest.Status.PLANNED
    locked.planned_partnership = partnership
    locked.planned_module = module
    locked.decline_reason = ""
    locked.save(update_fields=["status", "planned_partnership", "planned_module", "decline_reason"])
    return locked


@transaction.atomic
def decline_offer_request(*, offer_request: _OfferRequest, reason: str) -> _OfferRequest:
    """new/under review → declined; the reason is required (and kept for the partner)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"decline_reason": _("A declined request needs a reason.")})
    locked = _lock_open_request(offer_request)
    locked.status = _OfferRequest.Status.DECLINED
    locked.decline_reason = reason
    locked.save(update_fields=["status", "decline_reason"])
    return locked


@transaction.atomic
def add_evaluation(
    *,
    partnership: _Partnership | None = None,
    module: Module | None = None,
    date: datetime.date,
    source: str,
    rating: int,
    findings: str,
    recommendations: str = "",
    by=None,
) -> _Evaluation:
    """Record an evaluation of exactly one agreement or one module."""
    if (partnership is None) == (module is None):
        raise DomainError(_("An evaluation is about either an agreement or a module."))
    if not 1 <= rating <= 5:
        raise DomainError({"rating": _("The rating lies between 1 and 5.")})
    if not findings.strip():
        raise DomainError({"findings": _("Write down the findings.")})
    return _Evaluation.objects.create(
        partnership=partnership,
        module=module,
        date=date,
        source=source,
        rating=rating,
        findings=findings,
        recommendations=recommendations,
        created_by=by,
    )


# --- enrolment: enrol, withdraw, waitlist promotion (caseworkers) ------------------------


def _check_acts_for(participant: Participant, by) -> None:
    """Caseworkers act only for their own organisation's clients; managers never act."""
    role = role_of(by)
    if role == MANAGER or role is None:
        raise DomainError(_("You may not enrol or withdraw clients."))
    if role == CASEWORKER and participant.organisation_id != organisation_id_of(by):
        raise DomainError(_("This client belongs to another organisation."))


def _check_accepts_enrolments(module: Module, by) -> None:
    if module.status == Module.Status.CANCELLED:
        raise DomainError(_("This module is cancelled."))
    if module.status == Module.Status.COMPLETED:
        raise DomainError(_("This module is completed."))
    if module.status not in (Module.Status.OPEN, Module.Status.RUNNING) or not (
        module.enrolment_open
    ):
        raise DomainError(_("Enrolment for this module is closed."))
    if (
        role_of(by) == CASEWORKER
        and not module.partnership.partners.filter(pk=organisation_id_of(by)).exists()
    ):
        raise DomainError(_("This module is not open to your organisation."))


def enrol(*, participant: Participant, module: Module, by) -> Enrolment:
    """Enrol a client: `enrolled` if a place is free and nobody waits, else `waitlisted` at the
    end of the queue. Re-enrolling after a withdrawal reuses the withdrawn enrolment."""
    with transaction.atomic():
        # Lock the module row before counting its places: every enrolment and withdrawal in
        # this module queues here, so two caseworkers can never both take the last place, and
        # two waitlisted clients never get the same position.
        module = Module.objects.select_for_update().get(pk=module.pk)
        participant = Participant.objects.get(pk=participant.pk)
        _check_acts_for(participant, by)
        if participant.anonymised_at is not None:
            raise DomainError(_("This client's data has been anonymised."))
        _check_accepts_enrolments(module, by)
        existing = Enrolment.objects.filter(participant=participant, module=module).first()
        if existing is not None and existing.status != Enrolment.Status.WITHDRAWN:
            raise DomainError(
                _("This client is already enrolled in this module (%(status)s).")
                % {"status": existing.get_status_display()}
            )
        waiting = Enrolment.objects.filter(module=module, status=Enrolment.Status.WAITLISTED)
        last_position = waiting.aggregate(last=Max("waitlist_position"))["last"]
        # No queue jumping: a free place goes to the waiting list first, not to a newcomer.
        if last_position is None and taken_places(module.pk) < module.capacity:
            status, position = Enrolment.Status.ENROLLED, None
        else:
            status, position = Enrolment.Status.WAITLISTED, (last_position or 0) + 1
        enrolment = existing or Enrolment(participant=participant, module=module)
        enrolment.status = status
        enrolment.waitlist_position = position
        enrolment.enrolled_by = by
        enrolment.enrolled_at = timezone.now()
        enrolment.withdrawn_at = None
        enrolment.withdrawal_reason = ""
        enrolment.completed_at = None
        enrolment.save()
        return enrolment


def _renumber_waitlist(module: Module) -> None:
    """Close the gaps in a module's waiting list: positions become 1..n in queue order.

    Positions only ever move down, and we go in ascending order, so each new position is
    already free: the partial unique index on (module, position) never sees a duplicate.
    """
    waiting = Enrolment.objects.filter(module=module, status=Enrolment.Status.WAITLISTED)
    waiting = waiting.order_by("waitlist_position", "enrolled_at", "pk")
    for number, enrolment in enumerate(waiting, start=1):
        if enrolment.waitlist_position != number:
            enrolment.waitlist_position = number
            enrolment.save(update_fields=["waitlist_position", "status_changed_at"])


def _promote_waitlisted(module: Module) -> list[Enrolment]:
    """Give free places to the waiting list in order. Call with the module row locked."""
    promoted = []
    free = module.capacity - taken_places(module.pk)
    if free <= 0:
        return promoted
    first = Enrolment.objects.filter(module=module, status=Enrolment.Status.WAITLISTED).order_by(
        "waitlist_position", "enrolled_at", "pk"
    )[:free]
    for enrolment in first:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.waitlist_position = None
        enrolment.save(update_fields=["status", "waitlist_position", "status_changed_at"])
        promoted.append(enrolment)
    return promoted


def _mail_promotion(enrolment_pk: int) -> None:
    """Tell the promoted client's caseworker (no national register number, nothing else)."""
    enrolment = (
        Enrolment.objects.select_related("participant__caseworker", "module")
        .filter(pk=enrolment_pk)
        .first()
    )
    caseworker = enrolment.participant.caseworker if enrolment else None
    if caseworker is None or not caseworker.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A place became free in %(module)s") % {"module": enrolment.module.title}
        body = _(
            "A place became free in the module “%(module)s”. Your client %(client)s was first "
            "on the waiting list and is now enrolled.\n\nPartnerwerk"
        ) % {"module": enrolment.module.title, "client": enrolment.participant}
        try:
            send_mail(str(subject), str(body), None, [caseworker.email])
        except (SMTPException, OSError):
            # Do not fail the (already committed) withdrawal; log without personal data.
            logger.exception("Could not send the promotion e-mail for enrolment %s", enrolment_pk)


def withdraw(*, enrolment: Enrolment, by, reason: str = "") -> Enrolment:
    """Withdraw a client; a freed place goes at once to the first on the waiting list, whose
    caseworker is e-mailed after the commit. The waiting list is renumbered 1..n."""
    with transaction.atomic():
        # Same lock as `enrol`: counting places and promoting must not interleave with
        # another enrolment or withdrawal in this module.
        module = Module.objects.select_for_update().get(pk=enrolment.module_id)
        enrolment = Enrolment.objects.select_related("participant").get(pk=enrolment.pk)
        _check_acts_for(enrolment.participant, by)
        if enrolment.status == Enrolment.Status.WITHDRAWN:
            raise DomainError(_("This client has already been withdrawn from this module."))
        if enrolment.status == Enrolment.Status.COMPLETED:
            raise DomainError(_("A completed module cannot be withdrawn from."))
        enrolment.status = Enrolment.Status.WITHDRAWN
        enrolment.waitlist_position = None
        enrolment.withdrawn_at = timezone.now()
        enrolment.withdrawal_reason = reason.strip()[:300]
        enrolment.save()
        promoted = _promote_waitlisted(module)
        _renumber_waitlist(module)
        for promoted_enrolment in promoted:
            transaction.on_commit(lambda pk=promoted_enrolment.pk: _mail_promotion(pk))
        return enrolment


def fill_free_places(*, module: Module) -> list[Enrolment]:
    """Promote waitlisted clients into free places, in order (e.g. after the capacity grew);
    their caseworkers are e-mailed after the commit. Returns the promoted enrolments."""
    with transaction.atomic():
        module = Module.objects.select_for_update().get(pk=module.pk)  # as in `enrol`
        promoted = _promote_waitlisted(module)
        _renumber_waitlist(module)
        for enrolment in promoted:
            transaction.on_commit(lambda pk=enrolment.pk: _mail_promotion(pk))
        return promoted


# --- personal data: anonymisation, export ------------------------------------------------

NATIONAL_NUMBER_TAKEN = _(
    "A client with this national register number is already registered (possibly by another "
    "organisation). Check the number, or ask the agency to look up the existing record."
)
ANONYMISED_FIRST_NAME = "Geanonimiseerd"


def _check_may_see_personal_data(by) -> None:
    if role_of(by) in (MANAGER, None):
        raise DomainError(_("You may not see personal data."))


def _save_participant(participant: Participant) -> Participant:
    # The form checked the number is free; a simultaneous registration can still win the race,
    # and the unique index then refuses ours: say so instead of failing with a 500.
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as error:
        raise DomainError(NATIONAL_NUMBER_TAKEN) from error
    return participant


def register_participant(*, by, fields: dict[str, Any]) -> Participant:
    """Register a client of the caseworker's organisation; the caseworker records the consent."""
    organisation_id = organisation_id_of(by)
    if organisation_id is None:
        raise DomainError(_("Only a partner caseworker can register clients."))
    participant = Participant(
        **fields, organisation_id=organisation_id, caseworker=by, consent_recorded_by=by
    )
    return _save_participant(participant)


def update_participant(*, participant: Participant, by, fields: dict[str, Any]) -> Participant:
    """Change a client's data; a changed consent date is recorded as given to `by`."""
    if role_of(by) == CASEWORKER and participant.organisation_id != organisation_id_of(by):
        raise DomainError(_("This client belongs to another organisation."))
    if role_of(by) != CASEWORKER:
        raise DomainError(_("Only the client's caseworkers can change their data."))
    if participant.anonymised_at is not None:
        raise DomainError(_("This client's data has been anonymised."))
    stored_consent = Participant.objects.values_list("consent_date", flat=True).get(
        pk=participant.pk
    )
    for name, value in fields.items():
        setattr(participant, name, value)
    if participant.consent_date != stored_consent:
        participant.consent_recorded_by = by
    return _save_participant(participant)


def reveal_national_register_number(*, participant: Participant, by) -> str:
    """Return the full number, formatted, and record who saw it."""
    _check_may_see_personal_data(by)
    PersonalDataAccess.objects.create(
        participant=participant, user=by, action=PersonalDataAccess.Action.REVEAL_NATIONAL_NUMBER
    )
    return format_national_register_number(participant.national_register_number or "")


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def export_personal_data(*, participant: Participant, by) -> dict[str, Any]:
    """Everything stored about one client (right of access); the export itself is recorded."""
    _check_may_see_personal_data(by)
    PersonalDataAccess.objects.create(
        participant=participant, user=by, action=PersonalDataAccess.Action.EXPORT
    )
    participant = (
        Participant.objects.select_related("organisation", "caseworker", "consent_recorded_by")
        .prefetch_related("data_accesses__user")
        .get(pk=participant.pk)
    )
    enrolments = (
        Enrolment.objects.filter(participant=participant)
        .select_related("module__partnership__office", "enrolled_by")
        .prefetch_related("attendances__session")
        .order_by("enrolled_at", "pk")
    )
    return {
        "exported_at": timezone.now(),
        "exported_by": _person(by),
        "participant": {
            "id": participant.pk,
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "date_of_birth": participant.date_of_birth,
            "gender": participant.get_gender_display() if participant.gender else "",
            "nationality": participant.nationality,
            "languages": participant.languages,
            "phone": participant.phone,
            "email": participant.email,
            "national_register_number": format_national_register_number(
                participant.national_register_number or ""
            ),
            "referring_organisation": participant.organisation.name,
            "caseworker": _person(participant.caseworker),
            "consent_date": participant.consent_date,
            "consent_recorded_by": _person(participant.consent_recorded_by),
            "anonymised_at": participant.anonymised_at,
            "created_at": participant.created_at,
            "updated_at": participant.updated_at,
        },
        "enrolments": [
            {
                "id": enrolment.pk,
                "module": enrolment.module.title,
                "module_id": enrolment.module_id,
                "office": enrolment.module.partnership.office.name,
                "status": enrolment.status,
                "waitlist_position": enrolment.waitlist_position,
                "enrolled_by": _person(enrolment.enrolled_by),
                "enrolled_at": enrolment.enrolled_at,
                "status_changed_at": enrolment.status_changed_at,
                "withdrawn_at": enrolment.withdrawn_at,
                "withdrawal_reason": enrolment.withdrawal_reason,
                "completed_at": enrolment.completed_at,
                "attendance": [
                    {
                        "session_date": attendance.session.date,
                        "start_time": attendance.session.start_time,
                        "end_time": attendance.session.end_time,
                        "topic": attendance.session.topic,
                        "status": attendance.status,
                        "recorded_at": attendance.recorded_at,
                    }
                    for attendance in sorted(
                        enrolment.attendances.all(),
                        key=lambda a: (a.session.date, a.session.start_time),
                    )
                ],
            }
            for enrolment in enrolments
        ],
        "data_access_log": [
            {"at": access.at, "user": _person(access.user), "action": access.action}
            for access in participant.data_accesses.all()
        ],
        "change_history": [
            {
                "at": record.history_date,
                "change": record.get_history_type_display(),
                "by": _person(record.history_user),
            }
            for record in participant.history.select_related("history_user")
        ],
    }


def anonymise_inactive(*, years: int, dry_run: bool = False) -> int:
    """Replace the personal data of clients inactive for `years` years by a placeholder.

    Enrolments and attendance stay (every yearly count stays the same); the participant's
    change history is purged because it holds the old personal data. Returns how many.
    """
    if years < 1:
        raise DomainError(_("The inactivity period is at least one year."))
    candidates = participants_to_anonymise(years=years)
    if dry_run:
        return candidates.count()
    now = timezone.now()
    pks = list(candidates.values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            Participant.objects.filter(pk__in=chunk).update(
                first_name=ANONYMISED_FIRST_NAME,
                last_name=Concat(Value("#"), Cast("pk", output_field=CharField())),
                date_of_birth=None,
                gender="",
                nationality="",
                languages="",
                phone="",
                email="",
                national_register_number=None,
                anonymised_at=now,
                updated_at=now,
            )
            Participant.history.filter(id__in=chunk).delete()
            # A withdrawal reason is free text that may describe the person.
            with_reason = Q(participant_id__in=chunk) & ~Q(withdrawal_reason="")
            Enrolment.objects.filter(with_reason).update(withdrawal_reason="")
            Enrolment.history.filter(with_reason).update(withdrawal_reason="")
    return len(pks)
