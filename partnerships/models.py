"""Organisations and their people: the bottom layer of Partnerwerk."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import EnterpriseNumberField
from .validators import format_enterprise_number, validate_postal_code

MAX_AGREEMENT_SIZE = 10 * 1024 * 1024
PLAN_MIN_YEAR, PLAN_MAX_YEAR = 2000, 2100
END_BEFORE_START_DATE = _("The end date cannot be before the start date.")


def ends_on_or_after_start(start, end) -> bool:
    """The one "end date not before start date" rule (the database constraint says the same);
    a missing date is another field's error."""
    return start is None or end is None or end >= start


PLAN_YEAR_TAKEN = _("This agreement already has a plan for that year.")
# Free text has a maximum (issue 8: 1.5 MB of notes was saved and copied into the history):
# notes, descriptions and findings 5,000 characters, reasons 1,000.
TEXT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 1000


def text_length_constraint(model: str, field: str, max_length: int) -> models.CheckConstraint:
    """The database's guard for a TextField's max_length (the forms check it first)."""
    return models.CheckConstraint(
        name=f"{model}_{field}_max_length",
        condition=LessThanOrEqual(Length(field), max_length),
    )


class User(AbstractUser):
    """A person who logs in. Their role and scope live in `Membership`."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Office(models.Model):
    class Agency(models.TextChoices):
        AGENTSCHAP = "agentschap", _("Agentschap Integratie en Inburgering")
        ATLAS = "atlas", _("Atlas, integratie & inburgering Antwerpen")
        IN_GENT = "in_gent", _("IN-Gent")

    class Region(models.TextChoices):
        ANTWERPEN = "antwerpen", _("Antwerp")
        LIMBURG = "limburg", _("Limburg")
        OOST_VLAANDEREN = "oost_vlaanderen", _("East Flanders")
        VLAAMS_BRABANT = "vlaams_brabant", _("Flemish Brabant")
        WEST_VLAANDEREN = "west_vlaanderen", _("West Flanders")
        BRUSSEL = "brussel", _("Brussels")

    name = models.CharField(
        _("name"),
        max_length=120,
        unique=True,
        error_messages={"unique": _("There is already an office with this name.")},
    )
    agency = models.CharField(_("agency"), max_length=20, choices=Agency.choices)
    region = models.CharField(_("province/region"), max_length=20, choices=Region.choices)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True, validators=[validate_postal_code]
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        OCMW = "ocmw", _("OCMW (public social welfare centre)")
        VDAB = "vdab", _("VDAB")
        CITY = "city", _("City or municipality")
        SOCIAL_HOUSING = "social_housing", _("Social housing company")
        WORK_EXPERIENCE = "work_experience", _("Work-experience non-profit")
        BASIC_EDUCATION = "basic_education", _("Centre for basic education")
        CAW = "caw", _("CAW (centre for general welfare)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    enterprise_number = EnterpriseNumberField(
        _("enterprise number"),
        unique=True,
        help_text=_("KBO number, e.g. 0403.019.261."),
        error_messages={
            "unique": _("There is already a partner organisation with this enterprise number.")
        },
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True, validators=[validate_postal_code]
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        indexes = [models.Index(fields=["kind", "name"])]
        constraints = [text_length_constraint("partner", "notes", TEXT_MAX_LENGTH)]

    def __str__(self) -> str:
        return self.name

    @property
    def enterprise_number_display(self) -> str:
        return format_enterprise_number(self.enterprise_number)


class ContactPerson(models.Model):
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("partner organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name


class Membership(models.Model):
    """A user's role and scope: staff of an office, caseworker of a partner, or manager."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Agency staff")
        MANAGER = "manager", _("Manager")
        CASEWORKER = "caseworker", _("Partner caseworker")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("office"),
        help_text=_("Staff: required. Manager: empty means all offices."),
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("partner organisation"),
        help_text=_("Caseworkers only."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_fits_role",
                condition=(
                    Q(role="staff", office__isnull=False, organisation__isnull=True)
                    | Q(role="caseworker", organisation__isnull=False, office__isnull=True)
                    | Q(role="manager", organisation__isnull=True)
                ),
                violation_error_message=_(
                    "Staff need one office and no organisation; caseworkers one partner "
                    "organisation and no office; managers no organisation (office optional)."
                ),
            )
        ]

    def __str__(self) -> str:
        scope = self.office or self.organisation or _("all offices")
        return f"{self.user} – {self.get_role_display()} ({scope})"


def agreement_upload_to(instance: "Partnership", filename: str) -> str:
    return f"agreements/{instance.office_id or 'x'}/{filename}"


def validate_agreement_size(file) -> None:
    if file.size > MAX_AGREEMENT_SIZE:
        raise ValidationError(
            _("Agreement document: the file is larger than 10 MB."), code="file_too_large"
        )


class Partnership(models.Model):
    """A cooperation agreement between an office and one or more partner organisations."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("office")
    )
    partners = models.ManyToManyField(
        PartnerOrganisation,
        through="PartnershipPartner",
        related_name="partnerships",
        verbose_name=_("partner organisations"),
    )
    lead_partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name=_("lead partner"),
    )
    title = models.CharField(_("title"), max_length=200)
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"), null=True, blank=True, db_index=True)
    signed_date = models.DateField(_("signed on"), null=True, blank=True)
    agreement_reference = models.CharField(_("agreement reference"), max_length=100, blank=True)
    document = models.FileField(
        _("signed agreement (PDF)"),
        upload_to=agreement_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_agreement_size],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.CheckConstraint(
                name="partnership_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message=END_BEFORE_START_DATE,
            ),
            text_length_constraint("partnership", "description", TEXT_MAX_LENGTH),
        ]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not ends_on_or_after_start(self.start_date, self.end_date):
            raise ValidationError({"end_date": END_BEFORE_START_DATE})

    def years(self) -> range | None:
        """The calendar years the agreement runs in; None while its start is unknown. An
        agreement without an end date runs on (up to the last year a plan may have)."""
        if self.start_date is None:
            return None
        last = self.end_date.year if self.end_date else PLAN_MAX_YEAR
        return range(self.start_date.year, last + 1)

    def plan_years_error(self, years) -> str | None:
        """The one plan-target rule: a plan's year lies within the agreement's period."""
        period = self.years()
        outside = sorted(year for year in set(years) if period is not None and year not in period)
        if not outside:
            return None
        return _(
            "The agreement runs from %(start)s to %(end)s; plan targets for %(years)s fall "
            "outside it. Change the dates or delete those targets."
        ) % {
            "start": period.start,
            "end": self.end_date.year if self.end_date else "…",
            "years": ", ".join(str(year) for year in outside),
        }


class PartnershipPartner(models.Model):
    """A partner in an agreement; protected so that a partner with history cannot vanish."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, verbose_name=_("cooperation agreement")
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, verbose_name=_("partner organisation")
    )

    class Meta:
        verbose_name = _("partner in agreement")
        verbose_name_plural = _("partners in agreement")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                name="one_link_per_partner_and_agreement",
                violation_error_message=_(
                    "This organisation is already a partner in this agreement."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.partnership}"


class PlanTarget(models.Model):
    """Multi-year planning: what a partnership plans to realise in one year."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="plan_targets",
        verbose_name=_("cooperation agreement"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    planned_modules = models.PositiveIntegerField(_("planned modules"), default=0)
    planned_sessions = models.PositiveIntegerField(_("planned sessions"), default=0)
    planned_participants = models.PositiveIntegerField(_("planned participants"), default=0)

    class Meta:
        ordering = ["partnership", "year"]
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"],
                name="one_plan_target_per_partnership_and_year",
                violation_error_message=PLAN_YEAR_TAKEN,
            ),
            models.CheckConstraint(
                name="plan_target_year_in_range", condition=Q(year__gte=2000, year__lte=2100)
            ),
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.partnership} – {self.year}"

    def clean(self) -> None:
        error = (
            self.partnership.plan_years_error([self.year])
            if self.partnership_id and self.year is not None
            else None
        )
        if error:
            raise ValidationError({"year": error})
