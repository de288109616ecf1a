"""A compact world for the security tests: office A's agreement, modules, sessions, requests and
evaluations, organisation A's clients and enrolments; office B and organisation B are the
outsiders (staff_b, caseworker_b from tests/conftest.py)."""

import datetime
import zoneinfo

import pytest

from api.models import ClientImport
from api.services import create_api_token
from modules.models import Enrolment, Module, Session
from tests import factories as f

# Not the example number of the form's help text, so a page showing that is no false alarm.
NATIONAL_NUMBER = f.make_national_register_number(12, datetime.date(1984, 3, 9))


@pytest.fixture
def qa_world(partnership_a, organisation_a, caseworker_a, office_a):
    contact = f.ContactPersonFactory(organisation=organisation_a, name="Contact A")
    theme = f.ThemeFactory(code="housing", name="Wonen")
    open_module = f.ModuleFactory(partnership=partnership_a, title="Open module A", themes=[theme])
    planned = f.SessionFactory(module=open_module, date=datetime.date(2026, 12, 7))
    closed = f.ModuleFactory(
        partnership=partnership_a,
        title="Closed module A",
        status=Module.Status.COMPLETED,
        enrolment_open=False,
    )
    held = f.SessionFactory(
        module=closed, date=datetime.date(2026, 3, 2), status=Session.Status.HELD
    )
    participant = f.ParticipantFactory(
        organisation=organisation_a,
        caseworker=caseworker_a,
        first_name="Amira",
        last_name="Klant-van-A",
        national_register_number=NATIONAL_NUMBER,
    )
    enrolment = f.EnrolmentFactory(participant=participant, module=open_module)
    completed = f.EnrolmentFactory(
        participant=participant, module=closed, status=Enrolment.Status.COMPLETED
    )
    f.AttendanceFactory(enrolment=completed, session=held)
    offer_request = f.OfferRequestFactory(office=office_a, partner=organisation_a, contact=contact)
    evaluation = f.EvaluationFactory(partnership=partnership_a)
    plan_target = f.PlanTargetFactory(partnership=partnership_a, year=2026)
    api_token, _secret = create_api_token(user=caseworker_a, name="Dossier A", days=30)
    client_import = ClientImport.objects.create(
        user=caseworker_a,
        organisation=organisation_a,
        file_format="csv",
        row_count=1,
        new_count=1,
        rows=[{"line": 2, "outcome": "new", "name": "Nieuw Van-A", "data": {"line": 2}}],
    )
    return {
        "organisation": organisation_a,
        "contact": contact,
        "theme": theme,
        "partnership": partnership_a,
        "module": open_module,
        "closed_module": closed,
        "session": planned,
        "held_session": held,
        "participant": participant,
        "enrolment": enrolment,
        "completed": completed,
        "offer_request": offer_request,
        "evaluation": evaluation,
        "plan_target": plan_target,
        "api_token": api_token,
        "client_import": client_import,
    }


@pytest.fixture
def after_sessions(time_machine):
    """The clock on 8 December 2026, the day after qa_world's planned session: attendance
    can only be recorded on or after a session's date."""
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    time_machine.move_to(datetime.datetime(2026, 12, 8, 10, tzinfo=brussels), tick=False)
