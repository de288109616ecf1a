"""`seed_demo`: believable demo data, identical on a second run, refused in production."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from stdnum.be import nn, vat

from modules.models import Enrolment, Evaluation, Module, OfferRequest, Participant
from partnerships.models import Office, PartnerOrganisation, Partnership

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("partnerships", "modules")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_second_run_creates_nothing_new(seeded):
    first = _counts()

    call_command("seed_demo", stdout=io.StringIO())

    assert _counts() == first
    assert first["modules.Module"] >= 100
    assert first["modules.Session"] >= 400
    assert first["modules.Attendance"] > 0


def test_demo_accounts_can_log_in_with_password_demo(seeded, client):
    for username in ("staff", "caseworker", "manager", "admin"):
        # django-axes checks every login against its lockout, which needs the request.
        assert client.login(request=HttpRequest(), username=username, password="demo"), username
        client.logout()


def test_demo_accounts_have_their_roles(seeded):
    from partnerships.models import User

    assert User.objects.get(username="staff").membership.office.name == "Atlas Antwerpen"
    caseworker = User.objects.get(username="caseworker").membership
    assert (caseworker.role, caseworker.organisation.name) == ("caseworker", "OCMW Antwerpen")
    manager = User.objects.get(username="manager").membership
    assert (manager.role, manager.office) == ("manager", None)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_accounts_are_printed(seeded):
    for username in ("staff", "caseworker", "manager", "admin"):
        assert username in seeded
    assert "demo" in seeded


def test_refuses_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", stdout=io.StringIO())

    assert not Office.objects.exists()


def test_force_runs_with_debug_off(settings):
    settings.DEBUG = False

    call_command("seed_demo", "--force", stdout=io.StringIO())

    assert Office.objects.filter(name="Atlas Antwerpen").exists()


def test_if_empty_leaves_an_existing_database_alone(settings):
    settings.DEBUG = True
    Office.objects.create(name="Eigen kantoor", agency="agentschap", region="limburg")

    call_command("seed_demo", "--if-empty", stdout=io.StringIO())

    assert list(Office.objects.values_list("name", flat=True)) == ["Eigen kantoor"]


def test_numbers_are_valid_and_partners_of_every_kind_exist(seeded):
    assert all(
        nn.is_valid(n)
        for n in Participant.objects.values_list("national_register_number", flat=True)
    )
    assert all(
        vat.is_valid(n)
        for n in PartnerOrganisation.objects.values_list("enterprise_number", flat=True)
    )
    kinds = set(PartnerOrganisation.objects.values_list("kind", flat=True))
    assert kinds == set(PartnerOrganisation.Kind.values)
    assert Participant.objects.filter(date_of_birth__year__gte=2000).exists()


def test_echoes_the_real_examples(seeded):
    ocmw_2013 = Module.objects.filter(
        partnership__agreement_reference="ATL-2013-01", themes__code="rights-and-duties"
    )
    assert 60 <= ocmw_2013.count() <= 80
    assert Module.objects.filter(offer_type="partial_mo", themes__code="waste-and-environment")
    housing = Module.objects.filter(offer_type="target_group_mo", themes__code="housing")
    assert housing.filter(themes__code="living-together").exists()
    assert Module.objects.filter(offer_type="trajectory_guidance").exists()
    assert Evaluation.objects.filter(source="inspectorate", date__year=2014, rating=5).exists()
    statuses = set(OfferRequest.objects.values_list("status", flat=True))
    assert statuses == {"new", "under_review", "planned", "declined"}
    assert set(OfferRequest.objects.values_list("partner__kind", flat=True)) >= {"caw", "vdab"}


def test_caseworker_organisation_has_open_modules_with_a_waiting_list(seeded):
    open_modules = Module.objects.filter(
        status="open",
        enrolment_open=True,
        partnership__office__name="Atlas Antwerpen",
        partnership__partnershippartner__organisation__name="OCMW Antwerpen",
    )
    assert open_modules.count() >= 3
    waitlisted = Enrolment.objects.filter(module__in=open_modules, status="waitlisted")
    positions = sorted(waitlisted.values_list("waitlist_position", flat=True))
    assert positions == list(range(1, len(positions) + 1)) and positions
    full = waitlisted.first().module
    assert full.enrolments.filter(status="enrolled").count() == full.capacity


def test_partnerships_span_2013_to_this_year(seeded):
    import datetime

    years = {p.start_date.year for p in Partnership.objects.all()}
    assert min(years) == 2013
    assert Partnership.objects.filter(status="active").exists()
    assert Module.objects.filter(sessions__date__year=datetime.date.today().year).exists()


def test_covers_every_status_language_mix_and_several_plan_years(seeded):
    from modules.models import Attendance, Session
    from partnerships.models import PlanTarget

    assert set(Session.objects.values_list("status", flat=True)) == {
        "planned",
        "held",
        "cancelled",
    }
    assert set(Enrolment.objects.values_list("status", flat=True)) >= {
        "enrolled",
        "waitlisted",
        "completed",
        "withdrawn",
        "no_show",
    }
    assert set(Attendance.objects.values_list("status", flat=True)) == {
        "present",
        "absent",
        "excused",
    }
    assert Module.objects.values("language").distinct().count() >= 6
    assert PlanTarget.objects.values("year").distinct().count() >= 5
    assert set(OfferRequest.objects.values_list("status", flat=True)) >= {
        "new",
        "under_review",
        "planned",
        "declined",
    }
    assert Evaluation.objects.filter(source="inspectorate", date__year=2014).exists()
