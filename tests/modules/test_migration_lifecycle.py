"""The data migration of issue 9 brings rows made under the old rules under the new ones
(runs on SQLite and PostgreSQL: pytest-django's database, migrated back and forth)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("modules", "0002_module_lifecycle_and_not_completed")]
AFTER = [("modules", "0003_migrate_lifecycle_rows")]


@pytest.fixture
def old_world(transactional_db, today):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    yield apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    return executor.loader.project_state(AFTER).apps


def test_old_rows_follow_the_new_rules(old_world):
    apps = old_world
    Office = apps.get_model("partnerships", "Office")
    Partner = apps.get_model("partnerships", "PartnerOrganisation")
    Partnership = apps.get_model("partnerships", "Partnership")
    Module = apps.get_model("modules", "Module")
    Session = apps.get_model("modules", "Session")
    Participant = apps.get_model("modules", "Participant")
    Enrolment = apps.get_model("modules", "Enrolment")
    Attendance = apps.get_model("modules", "Attendance")
    office = Office.objects.create(name="K", agency="atlas", region="antwerpen")
    partner = Partner.objects.create(name="P", kind="ocmw", enterprise_number="0403019261")
    agreement = Partnership.objects.create(
        office=office, lead_partner=partner, title="S", start_date=datetime.date(2024, 1, 1)
    )

    def module(title, status, enrolment_open, *sessions):
        m = Module.objects.create(
            partnership=agreement,
            title=title,
            offer_type="partial_mo",
            status=status,
            enrolment_open=enrolment_open,
        )
        for day, session_status in sessions:
            Session.objects.create(
                module=m,
                date=day,
                start_time=datetime.time(9),
                end_time=datetime.time(12),
                status=session_status,
            )
        return m

    past, future = datetime.date(2026, 11, 2), datetime.date(2027, 3, 22)
    contradiction = module("Open maar dicht", "open", False, (future, "planned"))
    all_given = module("Alles gegeven", "open", True, (past, "held"))
    half = module("Halverwege", "open", True, (past, "held"), (future, "planned"))
    early = module("Te vroeg afgesloten", "completed", False, (past, "held"), (future, "held"))
    came = Participant.objects.create(
        first_name="A", last_name="B", organisation=partner, consent_date=past
    )
    never = Participant.objects.create(
        first_name="C", last_name="D", organisation=partner, consent_date=past
    )
    came_enrolment = Enrolment.objects.create(participant=came, module=all_given, status="no_show")
    never_enrolment = Enrolment.objects.create(
        participant=never, module=all_given, status="no_show"
    )
    held = Session.objects.get(module=all_given)
    Attendance.objects.create(enrolment=came_enrolment, session=held, status="present")
    Attendance.objects.create(enrolment=never_enrolment, session=held, status="absent")
    early_enrolment = Enrolment.objects.create(participant=came, module=early, status="completed")

    apps = migrate_forward()
    Module = apps.get_model("modules", "Module")
    Session = apps.get_model("modules", "Session")
    Enrolment = apps.get_model("modules", "Enrolment")

    def state(m):
        row = Module.objects.get(pk=m.pk)
        return row.status, row.enrolment_open

    assert state(contradiction) == ("planned", False)
    assert state(all_given) == ("finished", False)
    assert state(half) == ("running", True)
    assert state(early) == ("running", False)
    assert Session.objects.get(module_id=early.pk, date=future).status == "planned"
    assert Enrolment.objects.get(pk=early_enrolment.pk).status == "enrolled"
    assert Enrolment.objects.get(pk=came_enrolment.pk).status == "not_completed"
    assert Enrolment.objects.get(pk=never_enrolment.pk).status == "no_show"
