"""Test data. Numbers are generated valid (checksums computed), so factories never clash."""

import datetime
import itertools

import factory
from factory.django import DjangoModelFactory

from modules.models import (
    Attendance,
    Enrolment,
    Evaluation,
    Module,
    Objective,
    OfferRequest,
    Participant,
    Session,
    Theme,
)
from modules.services.rollup import refresh_enrolments, refresh_modules
from partnerships import checksums
from partnerships.models import (
    ContactPerson,
    Membership,
    Office,
    PartnerOrganisation,
    Partnership,
    PartnershipPartner,
    PlanTarget,
    User,
)

_enterprise_counter = itertools.count(1)


def make_enterprise_number(n: int) -> str:
    """A valid KBO number for the n-th organisation of a test."""
    return checksums.enterprise_number(2_000_000 + n)


def make_national_register_number(n: int, born: datetime.date | None = None) -> str:
    """A valid national register number for someone born on `born` (serial from n)."""
    born = born or datetime.date(1980, 1, 1) + datetime.timedelta(days=n % 9000)
    return checksums.national_register_number(born, (n % 997) + 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.be")
    password = factory.django.Password("pw")


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Kantoor {n}")
    agency = Office.Agency.AGENTSCHAP
    region = Office.Region.ANTWERPEN
    postal_code = "2000"
    municipality = "Antwerpen"


class PartnerOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerOrganisation.Kind.OCMW
    enterprise_number = factory.LazyFunction(
        lambda: make_enterprise_number(next(_enterprise_counter))
    )
    postal_code = "2000"
    municipality = "Antwerpen"


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(PartnerOrganisationFactory)
    name = factory.Faker("name", locale="nl_BE")
    function = "Maatschappelijk werker"
    email = factory.Sequence(lambda n: f"contact{n}@example.be")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.STAFF
    office = factory.SubFactory(OfficeFactory)
    organisation = None


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    lead_partner = factory.SubFactory(PartnerOrganisationFactory)
    title = factory.Sequence(lambda n: f"Samenwerking {n}")
    status = Partnership.Status.ACTIVE
    start_date = datetime.date(2024, 1, 1)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if not create:
            return
        PartnershipPartner.objects.get_or_create(partnership=self, organisation=self.lead_partner)
        for organisation in extracted or ():
            PartnershipPartner.objects.get_or_create(partnership=self, organisation=organisation)


class PlanTargetFactory(DjangoModelFactory):
    class Meta:
        model = PlanTarget

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2024
    planned_modules = 2
    planned_sessions = 10
    planned_participants = 30


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Thema {n}")


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    code = factory.Sequence(lambda n: f"MO{n:03d}")
    theme = factory.SubFactory(ThemeFactory)
    description = "Kent de eigen rechten en plichten"


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    offer_type = Module.OfferType.MO_WITHOUT_TRAJECTORY
    language = "nl"
    capacity = 12
    status = Module.Status.OPEN
    # As the lifecycle keeps it (the database refuses anything else): open while open,
    # kept open while running unless a test says otherwise, closed in every other status.
    enrolment_open = factory.LazyAttribute(lambda m: m.status in Module.ENROLLING_STATUSES)
    location = "Lokaal 1"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    module = factory.SubFactory(ModuleFactory)
    date = datetime.date(2024, 3, 4)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(12, 0)
    status = Session.Status.PLANNED

    @factory.post_generation
    def report_rollup(self, create, extracted, **kwargs):
        # Written past the services: keep the report's rollup as the services would.
        if create:
            refresh_modules([self.module_id])


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = datetime.date(1990, 5, 17)
    nationality = "Syrisch"
    languages = "Arabisch"
    organisation = factory.SubFactory(PartnerOrganisationFactory)
    consent_date = datetime.date(2024, 1, 15)
    national_register_number = None


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    participant = factory.SubFactory(ParticipantFactory)
    module = factory.SubFactory(ModuleFactory)
    status = Enrolment.Status.ENROLLED

    @factory.post_generation
    def report_rollup(self, create, extracted, **kwargs):
        # Written past the services: keep the report's enrolment counts as they would.
        if create:
            refresh_enrolments([self.module_id])


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)
    session = factory.SubFactory(SessionFactory)
    status = Attendance.Status.PRESENT

    @factory.post_generation
    def report_rollup(self, create, extracted, **kwargs):
        if create:
            refresh_modules([self.session.module_id])


class OfferRequestFactory(DjangoModelFactory):
    class Meta:
        model = OfferRequest

    office = factory.SubFactory(OfficeFactory)
    partner = factory.SubFactory(PartnerOrganisationFactory)
    title = factory.Sequence(lambda n: f"Aanvraag {n}")
    expected_participants = 15


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    partnership = factory.SubFactory(PartnershipFactory)
    module = None
    date = datetime.date(2024, 6, 1)
    source = Evaluation.Source.AGENCY
    rating = 4
    findings = "Goed verlopen."
