"""Cooperation agreements in the browser: list, detail, create/edit, delete, scoping."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Attendance, Session
from partnerships.models import Partnership, PartnershipPartner, PlanTarget
from tests import factories as f

pytestmark = pytest.mark.django_db


def _targets_management(total=1, initial=0):
    return {
        "targets-TOTAL_FORMS": str(total),
        "targets-INITIAL_FORMS": str(initial),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }


def _partnership_post(partners, lead, **overrides):
    data = {
        "title": "MO voor OCMW-cliënten",
        "partners": [str(p.pk) for p in partners],
        "lead_partner": str(lead.pk),
        "status": "active",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        **_targets_management(),
        "targets-0-year": "2026",
        "targets-0-planned_modules": "4",
        "targets-0-planned_sessions": "20",
        "targets-0-planned_participants": "50",
    }
    data.update(overrides)
    return data


# --- list ------------------------------------------------------------------------------


def test_partnership_list_shows_only_own_office(client, staff_a, partnership_a, partnership_b):
    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partnership_list"))
    assert response.status_code == 200
    assert partnership_a.title in response.text
    assert partnership_b.title not in response.text


def test_partnership_list_filters_status_kind_year_partner(client, staff_a, office_a):
    vdab = f.PartnerOrganisationFactory(kind="vdab", name="VDAB")
    ocmw = f.PartnerOrganisationFactory(kind="ocmw", name="OCMW")
    old = f.PartnershipFactory(
        office=office_a,
        lead_partner=ocmw,
        title="Oud akkoord",
        status="ended",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    new = f.PartnershipFactory(
        office=office_a,
        lead_partner=vdab,
        title="Nieuw akkoord",
        start_date=datetime.date(2025, 1, 1),
    )
    client.force_login(staff_a)
    url = reverse("partnerships:partnership_list")

    def titles(params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {p.title for p in response.context["page_obj"].object_list}

    assert titles({"status": "ended"}) == {old.title}
    assert titles({"partner_kind": "vdab"}) == {new.title}
    assert titles({"year": "2021"}) == {old.title}
    assert titles({"year": "2026"}) == {new.title}
    assert titles({"partner": str(ocmw.pk)}) == {old.title}


def test_partnership_list_survives_garbage_filters(client, staff_a):
    client.force_login(staff_a)
    response = client.get(
        reverse("partnerships:partnership_list"),
        {"status": "x", "year": "abc", "partner": "999999", "partner_kind": "<b>"},
    )
    assert response.status_code == 200


def test_partnership_list_same_query_count_for_3_and_30_rows(client, staff_a, office_a):
    client.force_login(staff_a)
    url = reverse("partnerships:partnership_list")
    counts = []
    for rows in (3, 27):
        for _ in range(rows):
            partner = f.PartnerOrganisationFactory()
            f.PartnershipFactory(
                office=office_a, partners=[f.PartnerOrganisationFactory()], lead_partner=partner
            )
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert Partnership.objects.filter(office=office_a).count() == 30
    assert counts[0] == counts[1]


# --- detail ----------------------------------------------------------------------------


def _held_session(module, date, participants_present):
    session = f.SessionFactory(module=module, date=date, status=Session.Status.HELD)
    for participant in participants_present:
        enrolment, _ = participant.enrolments.get_or_create(
            module=module, defaults={"status": "enrolled"}
        )
        f.AttendanceFactory(enrolment=enrolment, session=session, status="present")
    return session


def test_partnership_detail_shows_partners_lead_targets_and_realised(
    client, staff_a, partnership_a, organisation_a
):
    other = f.PartnerOrganisationFactory(name="VDAB Partner")
    PartnershipPartner.objects.create(partnership=partnership_a, organisation=other)
    f.PlanTargetFactory(partnership=partnership_a, year=2024, planned_modules=3)
    module = f.ModuleFactory(partnership=partnership_a, title="Wonen in Vlaanderen")
    idle = f.ModuleFactory(partnership=partnership_a, title="Nog niet gestart")
    people = f.ParticipantFactory.create_batch(3)
    _held_session(module, datetime.date(2024, 3, 4), people[:2])
    _held_session(module, datetime.date(2024, 3, 11), people[1:])
    f.SessionFactory(module=idle, date=datetime.date(2024, 4, 1))  # planned, not held
    f.SessionFactory(module=module, date=datetime.date(2024, 5, 1), status="cancelled")
    absent = _held_session(module, datetime.date(2025, 2, 3), [])
    enrolment = people[0].enrolments.get(module=module)
    f.AttendanceFactory(enrolment=enrolment, session=absent, status=Attendance.Status.ABSENT)
    f.EvaluationFactory(partnership=partnership_a, findings="Heel waardevol")

    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partnership_detail", args=[partnership_a.pk]))
    assert response.status_code == 200
    assert "VDAB Partner" in response.text
    assert "Wonen in Vlaanderen" in response.text
    assert "Heel waardevol" in response.text
    years = {row["year"]: row for row in response.context["years"]}
    assert years[2024]["target"].planned_modules == 3
    assert years[2024]["realised"] == {"modules": 1, "sessions": 2, "participants": 3}
    assert years[2025]["target"] is None
    assert years[2025]["realised"] == {"modules": 1, "sessions": 1, "participants": 0}


def test_partnership_detail_query_count_is_fixed(client, staff_a, partnership_a):
    url = reverse("partnerships:partnership_detail", args=[partnership_a.pk])
    client.force_login(staff_a)
    counts = []
    for extra in (1, 10):
        for n in range(extra):
            module = f.ModuleFactory(partnership=partnership_a)
            f.SessionFactory(module=module, status="held")
            f.EvaluationFactory(partnership=partnership_a)
            PartnershipPartner.objects.create(
                partnership=partnership_a, organisation=f.PartnerOrganisationFactory()
            )
        f.PlanTargetFactory(partnership=partnership_a, year=2000 + len(counts) * 20 + extra)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- create / edit ---------------------------------------------------------------------


def test_staff_creates_partnership_in_own_office_with_partners_and_targets(
    client, staff_a, office_a, office_b
):
    lead = f.PartnerOrganisationFactory()
    second = f.PartnerOrganisationFactory()
    client.force_login(staff_a)
    assert client.get(reverse("partnerships:partnership_create")).status_code == 200
    response = client.post(
        reverse("partnerships:partnership_create"),
        _partnership_post([lead, second], lead, office=str(office_b.pk)),
    )
    partnership = Partnership.objects.get(title="MO voor OCMW-cliënten")
    assert response.status_code == 302
    assert partnership.office == office_a  # fixed to the user's office, whatever is posted
    assert set(partnership.partners.all()) == {lead, second}
    assert partnership.lead_partner == lead
    target = PlanTarget.objects.get(partnership=partnership)
    assert (target.year, target.planned_sessions) == (2026, 20)


def test_lead_partner_is_added_to_the_partners(client, staff_a):
    """Issue 11: the lead partner need not be chosen twice; it joins the partners itself."""
    lead = f.PartnerOrganisationFactory()
    other = f.PartnerOrganisationFactory()
    client.force_login(staff_a)
    response = client.post(
        reverse("partnerships:partnership_create"), _partnership_post([other], lead)
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert set(partnership.partners.all()) == {lead, other}
    assert partnership.lead_partner == lead


def test_save_partnership_service_adds_the_lead_to_the_partners(office_a):
    from partnerships.services import save_partnership

    lead, other = f.PartnerOrganisationFactory.create_batch(2)
    partnership = Partnership(
        office=office_a, lead_partner=lead, title="X", start_date=datetime.date(2026, 1, 1)
    )
    save_partnership(partnership=partnership, partners=[other])
    assert set(partnership.partners.all()) == {lead, other}
    # Only the lead chosen is enough.
    alone = Partnership(
        office=office_a, lead_partner=lead, title="Y", start_date=datetime.date(2026, 1, 1)
    )
    save_partnership(partnership=alone, partners=[])
    assert list(alone.partners.all()) == [lead]


def test_end_before_start_gives_field_message(client, staff_a):
    lead = f.PartnerOrganisationFactory()
    client.force_login(staff_a)
    response = client.post(
        reverse("partnerships:partnership_create"),
        _partnership_post([lead], lead, end_date="2025-01-01"),
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not Partnership.objects.exists()


def test_duplicate_plan_year_is_refused(client, staff_a):
    lead = f.PartnerOrganisationFactory()
    client.force_login(staff_a)
    data = _partnership_post([lead], lead, **_targets_management(total=2))
    data.update(
        {
            "targets-1-year": "2026",
            "targets-1-planned_modules": "1",
            "targets-1-planned_sessions": "1",
            "targets-1-planned_participants": "1",
        }
    )
    response = client.post(reverse("partnerships:partnership_create"), data)
    assert response.status_code == 200
    # In words, not Django's "… duplicate data for year" with the field's English name.
    assert response.context["targets"].non_form_errors() == [
        "Deze overeenkomst heeft al een planning voor dat jaar."
    ]
    assert not Partnership.objects.exists()


def test_staff_edits_partnership_partners_status_and_targets(client, staff_a, partnership_a):
    target = f.PlanTargetFactory(partnership=partnership_a, year=2024)
    newcomer = f.PartnerOrganisationFactory()
    lead = partnership_a.lead_partner
    client.force_login(staff_a)
    url = reverse("partnerships:partnership_update", args=[partnership_a.pk])
    assert client.get(url).status_code == 200
    data = _partnership_post(
        [newcomer],
        newcomer,
        title="Aangepast",
        status="cancelled",
        start_date="2024-01-01",
        **_targets_management(total=2, initial=1),
    )
    data.update(
        {
            "targets-0-id": str(target.pk),
            "targets-0-year": "2024",
            "targets-0-planned_modules": "9",
            "targets-0-planned_sessions": "9",
            "targets-0-planned_participants": "9",
            "targets-1-year": "2025",
            "targets-1-planned_modules": "1",
            "targets-1-planned_sessions": "2",
            "targets-1-planned_participants": "3",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    partnership_a.refresh_from_db()
    assert partnership_a.title == "Aangepast"
    assert partnership_a.status == "cancelled"
    assert list(partnership_a.partners.all()) == [newcomer]
    assert lead not in partnership_a.partners.all()
    assert sorted(partnership_a.plan_targets.values_list("year", "planned_modules")) == [
        (2024, 9),
        (2025, 1),
    ]


# --- delete ----------------------------------------------------------------------------


def test_deleting_partnership_with_modules_is_refused_with_message(client, staff_a, partnership_a):
    f.ModuleFactory(partnership=partnership_a)
    client.force_login(staff_a)
    url = reverse("partnerships:partnership_delete", args=[partnership_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    assert Partnership.objects.filter(pk=partnership_a.pk).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_deleting_partnership_without_history_works(client, staff_a, partnership_a):
    client.force_login(staff_a)
    response = client.post(reverse("partnerships:partnership_delete", args=[partnership_a.pk]))
    assert response.status_code == 302
    assert not Partnership.objects.filter(pk=partnership_a.pk).exists()


# --- scoping ---------------------------------------------------------------------------

DETAIL_URLS = [
    "partnerships:partnership_detail",
    "partnerships:partnership_update",
    "partnerships:partnership_delete",
    "partnerships:partnership_document",
    "partnerships:partnership_document_download",
]


@pytest.mark.parametrize("name", DETAIL_URLS)
def test_staff_of_other_office_gets_404(client, staff_b, partnership_a, name):
    client.force_login(staff_b)
    url = reverse(name, args=[partnership_a.pk])
    assert client.get(url).status_code == 404
    if name not in (DETAIL_URLS[0], DETAIL_URLS[-1]):  # the others accept POST
        assert client.post(url, {}).status_code == 404


def test_staff_of_other_office_cannot_edit_by_post(client, staff_b, partnership_a):
    client.force_login(staff_b)
    lead = partnership_a.lead_partner
    response = client.post(
        reverse("partnerships:partnership_update", args=[partnership_a.pk]),
        _partnership_post([lead], lead, title="Gekaapt"),
    )
    assert response.status_code == 404
    partnership_a.refresh_from_db()
    assert partnership_a.title != "Gekaapt"


@pytest.mark.parametrize(
    "name", ["partnerships:partnership_list", "partnerships:partnership_create"]
)
def test_caseworker_and_manager_get_403(client, caseworker_a, manager_a, name):
    for user in (caseworker_a, manager_a):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", DETAIL_URLS)
def test_caseworker_of_partner_gets_403_on_staff_detail_urls(
    client, caseworker_a, partnership_a, name
):
    client.force_login(caseworker_a)
    assert client.get(reverse(name, args=[partnership_a.pk])).status_code == 403


def test_admin_sees_all_offices_and_chooses_office(client, admin, partnership_a, partnership_b):
    client.force_login(admin)
    response = client.get(reverse("partnerships:partnership_list"))
    assert partnership_a.title in response.text
    assert partnership_b.title in response.text
    form = client.get(reverse("partnerships:partnership_create")).context["form"]
    assert "office" in form.fields


def test_partner_count_is_not_narrowed_by_partner_filters(client, staff_a, office_a):
    vdab = f.PartnerOrganisationFactory(kind="vdab")
    ocmw = f.PartnerOrganisationFactory(kind="ocmw")
    f.PartnershipFactory(office=office_a, lead_partner=vdab, partners=[ocmw])
    client.force_login(staff_a)
    response = client.get(
        reverse("partnerships:partnership_list"), {"partner_kind": "vdab", "partner": ocmw.pk}
    )
    assert [p.partner_count for p in response.context["page_obj"].object_list] == [2]


# --- plan targets inside the agreement's period (issue 9, finding 4) ----------------------


def test_a_plan_year_after_the_agreement_ends_is_refused(client, staff_a, partnership_a):
    client.force_login(staff_a)
    lead = partnership_a.lead_partner
    data = _partnership_post(
        [lead], lead, start_date="2026-01-01", end_date="2028-12-31", **{"targets-0-year": "2031"}
    )

    response = client.post(
        reverse("partnerships:partnership_update", args=[partnership_a.pk]), data
    )

    assert response.status_code == 200
    [errors] = [form.errors for form in response.context["targets"].forms if form.errors]
    assert "2031" in " ".join(errors["year"])
    assert "2031" in response.content.decode()
    assert not PlanTarget.objects.filter(partnership=partnership_a).exists()
    partnership_a.refresh_from_db()
    assert partnership_a.end_date is None  # nothing saved


def test_shortening_an_agreement_past_its_plans_says_which_years(client, staff_a, partnership_a):
    target = f.PlanTargetFactory(partnership=partnership_a, year=2028)
    client.force_login(staff_a)
    lead = partnership_a.lead_partner
    data = _partnership_post(
        [lead],
        lead,
        start_date="2024-01-01",
        end_date="2026-12-31",
        **_targets_management(total=1, initial=1),
        **{"targets-0-id": str(target.pk), "targets-0-year": "2028"},
    )

    response = client.post(
        reverse("partnerships:partnership_update", args=[partnership_a.pk]), data
    )

    assert response.status_code == 200
    [errors] = [form.errors for form in response.context["targets"].forms if form.errors]
    message = " ".join(errors["year"])
    assert "2028" in message and "2024" in message and "2026" in message
    assert message in response.content.decode()
    partnership_a.refresh_from_db()
    assert partnership_a.end_date is None


def test_service_takes_plain_plans_and_keeps_them_within_the_period(partnership_a):
    from partnerships.services import DomainError, Plan, save_partnership

    partnership_a.end_date = datetime.date(2025, 12, 31)
    partners = [partnership_a.lead_partner]
    save_partnership(
        partnership=partnership_a,
        partners=partners,
        plans=[Plan(year=2024, sessions=8), Plan(year=2025, sessions=9)],
    )
    assert sorted(partnership_a.plan_targets.values_list("year", "planned_sessions")) == [
        (2024, 8),
        (2025, 9),
    ]
    with pytest.raises(DomainError, match="2023"):
        save_partnership(partnership=partnership_a, partners=partners, plans=[Plan(year=2023)])
    # Without plans the existing ones still bind the dates.
    partnership_a.end_date = datetime.date(2024, 12, 31)
    with pytest.raises(DomainError, match="2025"):
        save_partnership(partnership=partnership_a, partners=partners)


def test_admin_plan_target_outside_the_period_is_invalid(partnership_a):
    from django.core.exceptions import ValidationError

    partnership_a.end_date = datetime.date(2028, 12, 31)
    partnership_a.save()
    with pytest.raises(ValidationError, match="2031"):
        PlanTarget(partnership=partnership_a, year=2031).full_clean()
