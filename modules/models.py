"""What is taught, to whom, and what happened: modules, sessions, participants, attendance."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.fields import NationalRegisterNumberField
from partnerships.models import (
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    ContactPerson,
    Office,
    PartnerOrganisation,
    Partnership,
    text_length_constraint,
)
from partnerships.validators import mask_national_register_number

# The unique check's message (the model field's, so every form and the admin say it).
NATIONAL_NUMBER_TAKEN = _(
    "A client with this national register number is already registered (possibly by another "
    "organisation). Check the number, or ask the agency to look up the existing record."
)


class Language(models.TextChoices):
    """Languages of instruction (MO is taught in the participant's language where possible)."""

    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    BULGARIAN = "bg", _("Bulgarian")
    SOMALI = "so", _("Somali")
    TIGRINYA = "ti", _("Tigrinya")
    DARI = "prs", _("Dari")
    PASHTO = "ps", _("Pashto")
    PERSIAN = "fa", _("Persian")
    UKRAINIAN = "uk", _("Ukrainian")
    BERBER = "ber", _("Berber")
    ALBANIAN = "sq", _("Albanian")
    CHINESE = "zh", _("Chinese")


class Theme(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        error_messages={"unique": _("There is already a theme with this code.")},
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """An MO objective (eindterm) that a module can cover."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("There is already an MO objective with this code.")},
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("theme"),
    )
    description = models.CharField(_("description"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("MO objective")
        verbose_name_plural = _("MO objectives")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Module(models.Model):
    """One run of an offer under a cooperation agreement.

    Its lifecycle is one state machine (`status`, see `TRANSITIONS` and docs/staff.md); only
    the services in `modules/services/lifecycle.py` and the session services move it.
    """

    class OfferType(models.TextChoices):
        MO_WITHOUT_TRAJECTORY = "mo_without_trajectory", _("MO without trajectory")
        PARTIAL_MO = "partial_mo", _("Partial MO")
        TARGET_GROUP_MO = "target_group_mo", _("MO for a target group")
        TRAJECTORY_GUIDANCE = "trajectory_guidance", _("Trajectory guidance")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("All sessions given")
        # The value stays `completed` (DESIGN.md's fixed names, the report, exports); for
        # the user it is the closed module: completions recorded, nothing changes any more.
        COMPLETED = "completed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # status → the statuses it may move to. planned → running and open → running when the
    # first session is held; running → finished when no planned session is left (one held);
    # finished → running when a session is planned again; finished → completed by closing.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PLANNED: frozenset({Status.OPEN, Status.RUNNING, Status.CANCELLED}),
        Status.OPEN: frozenset({Status.PLANNED, Status.RUNNING, Status.CANCELLED}),
        Status.RUNNING: frozenset({Status.FINISHED, Status.CANCELLED}),
        Status.FINISHED: frozenset({Status.RUNNING, Status.COMPLETED, Status.CANCELLED}),
        Status.COMPLETED: frozenset(),
        Status.CANCELLED: frozenset(),
    }
    # Nothing about a module in these statuses changes any more (no planning, no attendance).
    FINAL_STATUSES = (Status.COMPLETED, Status.CANCELLED)
    # Statuses in which `enrolment_open` may be true: always when open; when running, staff
    # choose whether late enrolment continues.
    ENROLLING_STATUSES = (Status.OPEN, Status.RUNNING)

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="modules",
        verbose_name=_("cooperation agreement"),
    )
    title = models.CharField(_("title"), max_length=200)
    offer_type = models.CharField(
        _("offer type"), max_length=30, choices=OfferType.choices, db_index=True
    )
    themes = models.ManyToManyField(Theme, related_name="modules", verbose_name=_("themes"))
    objectives = models.ManyToManyField(
        Objective, related_name="modules", blank=True, verbose_name=_("MO objectives")
    )
    language = models.CharField(
        _("language of instruction"),
        max_length=5,
        choices=Language.choices,
        default=Language.DUTCH,
        db_index=True,
    )
    teacher = models.CharField(_("MO teacher"), max_length=150, blank=True)
    partner_facilitator = models.ForeignKey(
        ContactPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilitated_modules",
        verbose_name=_("partner facilitator"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=15, validators=[MinValueValidator(1)]
    )
    # Not a free checkbox: it follows the status (see the constraint and ENROLLING_STATUSES).
    enrolment_open = models.BooleanField(_("enrolment open"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    completion_threshold = models.PositiveSmallIntegerField(
        _("completion threshold (%)"),
        default=75,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the sessions a participant must attend to complete the module."),
    )
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    cancel_reason = models.TextField(
        _("reason for cancellation"), blank=True, max_length=REASON_MAX_LENGTH
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.CheckConstraint(
                name="module_capacity_positive",
                condition=Q(capacity__gt=0),
                violation_error_message=_("Capacity must be at least 1."),
            ),
            models.CheckConstraint(
                name="module_enrolment_open_fits_status",
                condition=Q(status="open", enrolment_open=True)
                | Q(status="running")
                | (~Q(status__in=["open", "running"]) & Q(enrolment_open=False)),
                violation_error_message=_(
                    "Enrolment is open exactly when the module is open for enrolment "
                    "(or, if staff choose so, while it runs)."
                ),
            ),
            models.CheckConstraint(
                name="module_threshold_percentage",
                condition=Q(completion_threshold__gte=0, completion_threshold__lte=100),
                violation_error_message=_("The completion threshold lies between 0 and 100 %."),
            ),
            text_length_constraint("module", "description", TEXT_MAX_LENGTH),
            text_length_constraint("module", "cancel_reason", REASON_MAX_LENGTH),
        ]
        indexes = [
            models.Index(fields=["status", "enrolment_open"]),
            # The lists' order (newest first): the first page is read off the index instead
            # of sorting every module the user sees (docs/performance.md, round 6).
            models.Index(F("created_at").desc(), "title", name="module_newest_first"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("Capacity must be at least 1.")
        if self.completion_threshold is not None and not 0 <= self.completion_threshold <= 100:
            errors["completion_threshold"] = _("The completion threshold lies between 0 and 100 %.")
        facilitator_error = self.facilitator_error()
        if facilitator_error:
            errors["partner_facilitator"] = facilitator_error
        if errors:
            raise ValidationError(errors)

    def facilitator_error(self, partnership=None, facilitator=None) -> str | None:
        """The one facilitator rule: a contact of one of the agreement's partners.

        Forms pass the chosen values before they are on the instance."""
        partnership = partnership or (self.partnership if self.partnership_id else None)
        facilitator = facilitator or self.partner_facilitator
        if (
            partnership is not None
            and facilitator is not None
            and not partnership.partners.filter(pk=facilitator.organisation_id).exists()
        ):
            return _("The partner facilitator must work at one of the agreement's partners.")
        return None

    @property
    def is_closed(self) -> bool:
        """Closed or cancelled: the one "this module is over" rule (no planning, no attendance,
        no enrolment, no edits)."""
        return self.status in self.FINAL_STATUSES

    @property
    def accepts_enrolments(self) -> bool:
        return self.status in self.ENROLLING_STATUSES and self.enrolment_open

    # Places, from the `taken` count that `queries.with_places` annotates (in Python: three
    # copies of the count subquery in every list's SQL cost more than these two lines).
    @property
    def free_places(self) -> int:
        """Places still free; never below zero (a lowered capacity can be overbooked)."""
        return max(self.capacity - self.taken, 0)

    @property
    def fill_rate(self) -> int:
        """The share of the capacity taken, in whole percent (rounded down)."""
        return self.taken * 100 // self.capacity if self.capacity else 0

    def may_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


END_BEFORE_START = _("The end time must be after the start time.")


def ends_after_start(start: datetime.time | None, end: datetime.time | None) -> bool:
    """The one "end time after start time" rule (the database constraint says the same).
    Missing times are another field's error, so they pass here."""
    return start is None or end is None or end > start


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("module")
    )
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Empty: the module's location.")
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    cancel_reason = models.CharField(_("reason for cancellation"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                name="session_end_after_start",
                condition=Q(end_time__gt=F("start_time")),
                violation_error_message=END_BEFORE_START,
            )
        ]
        indexes = [
            models.Index(fields=["status", "date"]),
            models.Index(fields=["module", "date"]),
        ]

    def __str__(self) -> str:
        when = f"{date_format(self.date, 'SHORT_DATE_FORMAT')} {time_format(self.start_time)}"
        return f"{self.module} – {when}"

    def clean(self) -> None:
        if not ends_after_start(self.start_time, self.end_time):
            raise ValidationError({"end_time": END_BEFORE_START})
        if self.status == self.Status.HELD and self.date and self.is_after(timezone.localdate()):
            raise ValidationError({"status": self.not_yet_message()})

    def is_after(self, day: datetime.date) -> bool:
        """Whether the session lies after `day`: then it cannot have been held yet."""
        return self.date > day

    def not_yet_message(self) -> str:
        return _(
            "This session is on %(date)s: it can be marked held, with its attendance, "
            "from that day on."
        ) % {"date": date_format(self.date, "SHORT_DATE_FORMAT")}

    @property
    def duration_hours(self) -> float:
        start = datetime.datetime.combine(self.date, self.start_time)
        end = datetime.datetime.combine(self.date, self.end_time)
        return (end - start).total_seconds() / 3600

    @property
    def effective_location(self) -> str:
        return self.location or self.module.location


class Participant(models.Model):
    """A partner's client. Only what the work needs is stored (data minimisation)."""

    class Gender(models.TextChoices):
        FEMALE = "f", _("Female")
        MALE = "m", _("Male")
        X = "x", _("Other / prefers not to say")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("E.g. Arabic, French.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    national_register_number = NationalRegisterNumberField(
        _("national register number"),
        unique=True,
        error_messages={"unique": NATIONAL_NUMBER_TAKEN},
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("referring organisation"),
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("caseworker"),
    )
    consent_date = models.DateField(_("consent given on"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # Set only by an erasure on request (not by the inactivity rule); no personal details.
    anonymisation_reason = models.CharField(_("reason for erasure"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["national_register_number"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["organisation", "last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def client_number(self) -> str:
        """A short number that tells two clients of the same name apart (not personal data)."""
        return f"{self.pk:05d}" if self.pk else ""

    @property
    def distinguishing_details(self) -> list[str]:
        """What tells this client from another of the same name, wherever people are listed:
        birth year, referring organisation, client number (the organisation must be fetched
        with the client: select_related("participant__organisation") on lists)."""
        details = []
        if self.date_of_birth:
            details.append(_("born %(year)d") % {"year": self.date_of_birth.year})
        details.append(self.organisation.name)
        details.append(_("no. %(number)s") % {"number": self.client_number})
        return [str(detail) for detail in details]

    @property
    def distinguishing_label(self) -> str:
        """ "First Last (born 1990 · OCMW Gent · no. 00042)" for choice lists and mails."""
        return f"{self} ({' · '.join(self.distinguishing_details)})"

    @property
    def masked_national_register_number(self) -> str:
        return mask_national_register_number(self.national_register_number or "")


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NO_SHOW = "no_show", _("No-show")  # never present at a held session
        NOT_COMPLETED = "not_completed", _("Not completed")  # present, but below the threshold

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("participant"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("module")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    waitlist_position = models.PositiveIntegerField(
        _("waiting-list position"), null=True, blank=True
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["module", "status", "waitlist_position", "enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "module"],
                name="one_enrolment_per_participant_and_module",
                violation_error_message=_("This participant is already enrolled in this module."),
            ),
            models.CheckConstraint(
                name="waitlist_position_only_when_waitlisted",
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
            ),
            models.UniqueConstraint(
                fields=["module", "waitlist_position"],
                condition=Q(status="waitlisted"),
                name="one_participant_per_waitlist_position",
            ),
        ]
        indexes = [models.Index(fields=["module", "status"])]

    def __str__(self) -> str:
        return f"{self.participant} – {self.module}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("enrolment"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("session")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"],
                name="one_attendance_per_enrolment_and_session",
                violation_error_message=_("Attendance for this session is already recorded."),
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.enrolment.participant} – {self.session}: {self.get_status_display()}"


class OfferRequest(models.Model):
    """A partner's request for an offer.

    Lives in `modules` (not `partnerships` as first drafted) because it refers to themes and
    to the module that answers it; keeping it here keeps the dependencies one-way.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        DECLINED = "declined", _("Declined")

    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="offer_requests",
        verbose_name=_("office handling it"),
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="offer_requests",
        verbose_name=_("partner organisation"),
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer_requests",
        verbose_name=_("contact person"),
    )
    title = models.CharField(_("title"), max_length=200)
    themes = models.ManyToManyField(
        Theme, related_name="offer_requests", blank=True, verbose_name=_("themes")
    )
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.DUTCH
    )
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    received_on = models.DateField(_("received on"), default=datetime.date.today)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    decline_reason = models.TextField(
        _("reason for declining"), blank=True, max_length=REASON_MAX_LENGTH
    )
    planned_partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_requests",
        verbose_name=_("planned as agreement"),
    )
    planned_module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_requests",
        verbose_name=_("planned as module"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("offer request")
        verbose_name_plural = _("offer requests")
        constraints = [
            models.CheckConstraint(
                name="declined_request_has_reason",
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                violation_error_message=_("A declined request needs a reason."),
            ),
            text_length_constraint("offer_request", "description", TEXT_MAX_LENGTH),
            text_length_constraint("offer_request", "decline_reason", REASON_MAX_LENGTH),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.status == self.Status.DECLINED and not self.decline_reason.strip():
            raise ValidationError({"decline_reason": _("A declined request needs a reason.")})
        if (
            self.status == self.Status.PLANNED
            and not self.planned_partnership_id
            and not self.planned_module_id
        ):
            raise ValidationError(
                _("A planned request links to the agreement or module that answers it.")
            )


class Evaluation(models.Model):
    """An evaluation of a cooperation agreement or of a module.

    In `modules` because it can point at a module; see `OfferRequest`.
    """

    class Source(models.TextChoices):
        INSPECTORATE = "inspectorate", _("Education inspectorate")
        AGENCY = "agency", _("Agency")
        PARTNER = "partner", _("Partner")
        PARTICIPANTS = "participants", _("Participants")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("cooperation agreement"),
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("module"),
    )
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    rating = models.PositiveSmallIntegerField(
        _("rating (1–5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = very weak, 5 = very good."),
    )
    findings = models.TextField(_("findings"), max_length=TEXT_MAX_LENGTH)
    recommendations = models.TextField(_("recommendations"), blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                name="evaluation_of_partnership_or_module",
                condition=Q(partnership__isnull=False, module__isnull=True)
                | Q(partnership__isnull=True, module__isnull=False),
                violation_error_message=_(
                    "An evaluation is about either an agreement or a module."
                ),
            ),
            models.CheckConstraint(
                name="evaluation_rating_1_to_5", condition=Q(rating__gte=1, rating__lte=5)
            ),
            text_length_constraint("evaluation", "findings", TEXT_MAX_LENGTH),
            text_length_constraint("evaluation", "recommendations", TEXT_MAX_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {date_format(self.date, 'SHORT_DATE_FORMAT')}"


class PersonalDataAccess(models.Model):
    """A record of who saw or exported a participant's sensitive data, and when."""

    class Action(models.TextChoices):
        REVEAL_NATIONAL_NUMBER = "reveal_nrn", _("Showed the national register number")
        EXPORT = "export", _("Exported all data (right of access)")
        ERASE = "erase", _("Erased the personal data on request")
        NUMBER_MATCH = (
            "number_match",
            _("Typed this national register number for a client of another organisation"),
        )

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="data_accesses",
        verbose_name=_("participant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")

    def __str__(self) -> str:
        at = date_format(localtime(self.at), "SHORT_DATETIME_FORMAT") if self.at else ""
        return f"{self.user} – {self.get_action_display()} – {at}"


class ReportAttendanceYear(models.Model):
    """The report's rollup of attendance (issue 10): present attendance at held sessions,
    summed per enrolment and year of the session. Kept by `modules.services.rollup` in the
    same transaction as every write that changes it; `manage.py rebuild_report_rollup`
    recomputes it from the live data. Never edited by hand."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    # The lead partner of the module's agreement (kept by `rollup.follow_lead_partner`).
    lead_partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="+", null=True
    )
    minutes = models.PositiveIntegerField()
    sessions_attended = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "module", "year"], name="one_report_row_per_enrolment_and_year"
            )
        ]
        indexes = [
            models.Index(fields=["year", "module"]),
            # The report's distinct participants per year: read from the index alone, in
            # order (18 instead of 35-55 ms over ten years at Flanders scale).
            models.Index(fields=["year", "participant", "minutes"], name="report_year_participant"),
            # The distinct participants per lead partner and year, read in order.
            models.Index(
                fields=["year", "lead_partner", "participant", "minutes"],
                name="report_year_lead_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.year}: {self.minutes} min"


# Enrolments that count in the report: everyone who held a place (not waitlisted, not withdrawn).
REPORT_ENROLMENT_STATUSES = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
    Enrolment.Status.NO_SHOW,
)


class ReportModuleEnrolments(models.Model):
    """The report's rollup of enrolments (issue 10): per module, the enrolments that held a
    place (REPORT_ENROLMENT_STATUSES) and the completed ones. Kept by
    `modules.services.rollup` in the same transaction as every change of an enrolment's
    status; no row: none. Never edited by hand."""

    module = models.OneToOneField(
        Module, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    enrolments = models.PositiveIntegerField()
    completions = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.module_id}: {self.enrolments} enrolments, {self.completions} completed"


class ReportSessionYear(models.Model):
    """The report's rollup of sessions (issue 10): held sessions per module and year."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sessions = models.PositiveIntegerField()
    # The module's last year with a held session: its completions count in that year.
    last_year = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["module", "year"], name="one_report_row_per_module_and_year"
            )
        ]
        indexes = [models.Index(fields=["year", "module"])]

    def __str__(self) -> str:
        return f"{self.module_id} {self.year}: {self.sessions}"


class MailKind(models.TextChoices):
    """The kinds of mail about clients a caseworker gets; each can be switched off (/account/)."""

    ENROLMENT = "enrolment", _("A client was enrolled or put on a waiting list")
    PROMOTION = "promotion", _("A client moved up from the waiting list into a place")
    WAITLIST = "waitlist", _("Staff changed a client's place on a waiting list")
    SESSION_CHANGE = "session_change", _("A session of a client's module was moved or cancelled")
    MODULE_CANCELLED = "module_cancelled", _("A client's module was cancelled")


class MailOptOut(models.Model):
    """One kind of mail a user switched off; no row means the user gets that kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_opt_outs",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind of mail"), max_length=30, choices=MailKind.choices)

    class Meta:
        verbose_name = _("switched-off mail")
        verbose_name_plural = _("switched-off mails")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_user_and_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"
