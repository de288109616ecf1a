"""Issue 11's daily journeys in a real browser, with axe-core (WCAG 2.1 AA) on every page
visited and a screenshot of each step (with DOCS_SCREENSHOTS=1 in docs/screenshots/;
docs/staff.md and docs/caseworkers.md show them).

Staff: offer request → planned module → series of sessions → enrolment open → 30 clients
enrolled by search (by their caseworker) → attendance with "Everyone present" → the
attendance sheet printed (Chromium's PDF, read back) → the module closed. Caseworker:
register a client → find the open module → search and enrol → follow the client's status →
withdraw.

The clock is pinned (`today`: Sunday 29 November 2026) and moved on once the sessions have
been given, since attendance is recorded on or after a session's day.
"""

import datetime
import os
import tempfile
import zoneinfo
from pathlib import Path

import pytest
from playwright.sync_api import expect

from modules.models import Enrolment, Module, OfferRequest, Session
from tests import factories as f

pytestmark = pytest.mark.e2e

# `DOCS_SCREENSHOTS=1` renews the docs' pictures; otherwise a temporary folder, so that a
# test run leaves the working tree as it was.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("DOCS_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "partnerwerk-screenshots"
)
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def shoot(assert_accessible):
    """shoot(page, name): check the page with axe, then save its screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page, name: str) -> None:
        page.wait_for_load_state("domcontentloaded")
        assert_accessible(page)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return _shoot


def _printed_text(page) -> str:
    """The page as Chromium prints it on A4, its text read back (pypdf)."""
    import io
    import re

    from pypdf import PdfReader

    data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    text = "\n".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def world(today, office_a, organisation_a, partnership_a, staff_a, caseworker_a):
    housing = f.ThemeFactory(name="Wonen en samenleven")
    offer_request = f.OfferRequestFactory(
        office=office_a,
        partner=organisation_a,
        title="MO wonen voor nieuwe huurders",
        expected_participants=30,
        language="nl",
        target_group="Nieuwe huurders van de sociale huisvesting",
    )
    offer_request.themes.set([housing])
    tenants = [
        f.ParticipantFactory(
            organisation=organisation_a,
            caseworker=caseworker_a,
            first_name=f"Huurder{chr(65 + i // 26)}{chr(65 + i % 26)}",
            last_name="Verbeke",
            date_of_birth=datetime.date(1970 + i, 3, 1),
        )
        for i in range(30)
    ]
    f.ParticipantFactory(organisation=organisation_a, first_name="Noor", last_name="Anders")
    return {"request": offer_request, "tenants": tenants, "theme": housing}


def _login(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, locale="nl-BE", viewport=DESKTOP
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url
    return context, page


def _submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_staff_journey_from_request_to_closed_module(
    browser, live_server, transactional_db, world, shoot, time_machine
):
    offer_request = world["request"]
    staff_context, page = _login(browser, live_server, "staff_a")

    # 1. The request: "Plan a module for this request".
    page.goto(f"/requests/{offer_request.pk}/")
    shoot(page, "staff-journey-1-request")
    _submit(page, f"a[href='/requests/{offer_request.pk}/module/']")
    assert page.input_value("#id_title") == "MO wonen voor nieuwe huurders"
    assert page.input_value("#id_capacity") == "30"
    page.select_option("#id_offer_type", "target_group_mo")
    page.fill("#id_completion_threshold", "50")
    shoot(page, "staff-journey-2-module-from-request")
    _submit(page, "main form button[type=submit]")
    module = Module.objects.get(title="MO wonen voor nieuwe huurders")
    assert OfferRequest.objects.get(pk=offer_request.pk).planned_module == module
    assert page.get_by_role("link", name="MO wonen voor nieuwe huurders").count() >= 1

    # 2. A series of two weekly sessions, from Tuesday 1 December.
    page.goto(f"/modules/{module.pk}/sessions/series/")
    page.select_option("#id_weekday", "1")
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "12:00")
    page.fill("#id_start_date", "2026-12-01")
    page.fill("#id_count", "2")
    _submit(page, "button[name=preview]")
    shoot(page, "staff-journey-3-series-preview")
    _submit(page, "button[name=confirm]")
    assert Session.objects.filter(module=module).count() == 2

    # 3. Enrolment opens.
    _submit(page, f"form[action='/modules/{module.pk}/enrolment/open/'] button")
    module.refresh_from_db()
    assert module.enrolment_open
    shoot(page, "staff-journey-4-enrolment-open")

    # 4. The caseworker enrols the 30 tenants by searching for them, a page at a time.
    case_context, case_page = _login(browser, live_server, "caseworker_a")
    for expected in (25, 5):
        case_page.goto(f"/open-modules/{module.pk}/")
        case_page.fill("#client-search", "verbeke")
        _submit(case_page, "form[role=search] button[type=submit]")
        boxes = case_page.locator("input[name=participants]")
        assert boxes.count() == expected
        if expected == 25:
            assert "Noor Anders" not in case_page.content()
            shoot(case_page, "staff-journey-5-enrol-by-search")
        for index in range(boxes.count()):
            boxes.nth(index).check()
        _submit(case_page, "main form[method=post] button[type=submit]")
    assert Enrolment.objects.filter(module=module, status="enrolled").count() == 30
    case_page.goto(f"/open-modules/{module.pk}/")
    case_page.fill("#client-search", "verbeke")
    _submit(case_page, "form[role=search] button[type=submit]")
    assert case_page.locator("input[name=participants]").count() == 0
    case_context.close()

    # 5. The sessions are given: attendance with "Everyone present", one absent.
    time_machine.move_to(datetime.datetime(2026, 12, 9, 14, tzinfo=BRUSSELS), tick=False)
    staff_context.close()  # ten days later: a new working day, a new login
    staff_context, page = _login(browser, live_server, "staff_a")
    absent = world["tenants"][4]
    for number, session in enumerate(Session.objects.filter(module=module).order_by("date")):
        page.goto(f"/sessions/{session.pk}/attendance/")
        page.click("[data-all-present]")
        assert page.locator("input[type=radio][value=present]:checked").count() == 30
        enrolment = Enrolment.objects.get(module=module, participant=absent)
        page.check(f"input[name=mark_{enrolment.pk}][value=absent]")
        if number == 0:
            shoot(page, "staff-journey-6-attendance-all-present")
        _submit(page, "main form[method=post] button[type=submit]")
    session_statuses = set(Session.objects.filter(module=module).values_list("status", flat=True))
    assert session_statuses == {"held"}

    # 5b. The module's attendance sheet is printed for the file: every client, every
    # session, a signature column; no button or radio button on paper.
    page.goto(f"/modules/{module.pk}/sheet/")
    shoot(page, "staff-journey-6b-attendance-sheet")
    printed = _printed_text(page)
    assert "Handtekening" in printed
    assert "HuurderAA" in printed and "Verbeke" in printed
    assert "Terug naar de module" not in printed and "Mijn account" not in printed

    # 6. The module is closed; completions are recorded.
    page.goto(f"/modules/{module.pk}/close/")
    shoot(page, "staff-journey-7-close")
    _submit(page, "main form button[type=submit]")
    module.refresh_from_db()
    assert module.status == Module.Status.COMPLETED
    assert Enrolment.objects.filter(module=module, status="completed").count() == 29
    assert Enrolment.objects.get(module=module, participant=absent).status == "no_show"
    shoot(page, "staff-journey-8-closed")
    staff_context.close()


def test_staff_manage_the_waiting_list_and_see_who_moved_up(
    browser, live_server, transactional_db, world, shoot, partnership_a, caseworker_a
):
    module = f.ModuleFactory(
        partnership=partnership_a, capacity=2, title="MO werk en welzijn", themes=[world["theme"]]
    )
    f.SessionFactory(module=module, date=datetime.date(2026, 12, 15))
    from modules.services import enrol

    for tenant in world["tenants"][:5]:
        enrol(participant=tenant, module=module, by=caseworker_a)
    context, page = _login(browser, live_server, "staff_a")
    page.goto(f"/modules/{module.pk}/")
    shoot(page, "staff-waitlist-1-module")
    third = Enrolment.objects.get(module=module, waitlist_position=3)
    page.goto(f"/enrolments/{third.pk}/manage/")
    page.fill("#id_reason", "Dringende vraag van de trajectbegeleider")
    shoot(page, "staff-waitlist-2-manage")
    _submit(page, "button[name=action][value=up]")
    third.refresh_from_db()
    assert third.waitlist_position == 2
    # More places: the page lists who moved up.
    page.goto(f"/modules/{module.pk}/edit/")
    page.fill("#id_capacity", "4")
    _submit(page, "main form button[type=submit]")
    promoted = page.locator("main .alert-success[role=status] li")
    assert promoted.count() == 2
    shoot(page, "staff-waitlist-3-promoted")
    context.close()


def test_caseworker_journey_register_enrol_follow_withdraw(
    browser, live_server, transactional_db, world, shoot, partnership_a, time_machine
):
    module = f.ModuleFactory(partnership=partnership_a, capacity=12, title="MO gezondheid")
    f.SessionFactory(module=module, date=datetime.date(2026, 12, 15))
    context, page = _login(browser, live_server, "caseworker_a")

    # Register a client (with consent).
    page.goto("/clients/new/")
    page.fill("#id_first_name", "Yasmina")
    page.fill("#id_last_name", "El Idrissi")
    page.fill("#id_date_of_birth", "1991-04-12")
    page.check("#id_consent_given")
    shoot(page, "caseworker-journey-1-register")
    _submit(page, "main form button[type=submit]")
    assert "/clients/" in page.url

    # Find the open module, search the client and enrol her.
    page.goto("/open-modules/")
    shoot(page, "caseworker-journey-2-open-modules")
    page.goto(f"/open-modules/{module.pk}/")
    page.fill("#client-search", "idrissi")
    _submit(page, "form[role=search] button[type=submit]")
    assert page.locator("input[name=participants]").count() == 1
    page.locator("input[name=participants]").check()
    shoot(page, "caseworker-journey-3-search-and-enrol")
    _submit(page, "main form[method=post] button[type=submit]")
    shoot(page, "caseworker-journey-4-enrolled")
    enrolment = Enrolment.objects.get(module=module, participant__last_name="El Idrissi")
    assert enrolment.status == "enrolled"

    # Follow the status on the client's page, then withdraw.
    page.goto(f"/clients/{enrolment.participant_id}/")
    shoot(page, "caseworker-journey-5-client")
    page.goto(f"/enrolments/{enrolment.pk}/withdraw/")
    page.fill("#id_reason", "Heeft werk gevonden")
    shoot(page, "caseworker-journey-6-withdraw")
    _submit(page, "main form button[type=submit]")
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"
    context.close()


def test_staff_choose_agreement_partners_by_search_and_plan_years_in_one_go(
    browser, live_server, transactional_db, today, staff_a, shoot
):
    lead = f.PartnerOrganisationFactory(name="OCMW Mechelen")
    other = f.PartnerOrganisationFactory(name="CAW Boom Mechelen Lier")
    f.PartnerOrganisationFactory.create_batch(30)
    context, page = _login(browser, live_server, "staff_a")
    page.goto("/agreements/add/")
    page.fill("#id_title", "MO in Mechelen")
    page.select_option("#id_status", "active")
    page.fill("#id_start_date", "2026-01-01")
    page.fill("#id_end_date", "2028-12-31")
    for index, modules in enumerate((2, 3, 4)):  # 2026, 2027, 2028 in one go
        field = page.locator(f"#id_targets-{index}-planned_modules")
        field.fill(str(modules))
        expect(field).to_have_value(str(modules))
    # The partners last: Tom Select hands focus back to its search field asynchronously after
    # a choice, which on a slow machine can swallow what is typed next in another field.
    # Both are search-as-you-type: the page holds none of the 32 partners until typed.
    assert page.locator("#id_lead_partner option").count() == 1  # "Choose …"
    page.locator("#id_lead_partner-ts-control").fill("OCMW Mech")
    page.locator("#id_lead_partner-ts-dropdown .option", has_text="OCMW Mechelen").click()
    expect(page.locator("#id_lead_partner")).to_have_value(str(lead.pk))
    control = page.locator("#id_partners-ts-control")
    control.fill("CAW Boom")
    page.locator("#id_partners-ts-dropdown .option", has_text="CAW Boom Mechelen Lier").click()
    page.keyboard.press("Escape")  # close the list
    for index, modules in enumerate((2, 3, 4)):
        assert page.input_value(f"#id_targets-{index}-planned_modules") == str(modules)
        assert page.input_value(f"#id_targets-{index}-year") == str(2026 + index)
    shoot(page, "staff-agreement-partners-and-years")
    _submit(page, "main form button[type=submit]")
    from partnerships.models import Partnership

    partnership = Partnership.objects.get(title="MO in Mechelen")
    assert set(partnership.partners.all()) == {lead, other}
    targets = dict(partnership.plan_targets.values_list("year", "planned_modules"))
    assert targets == {2026: 2, 2027: 3, 2028: 4}
    context.close()


def test_moving_a_session_onto_a_holiday_asks_for_a_confirmation(
    browser, live_server, transactional_db, today, staff_a, partnership_a, shoot
):
    module = f.ModuleFactory(partnership=partnership_a, title="MO mobiliteit")
    session = f.SessionFactory(module=module, date=datetime.date(2026, 12, 22))
    context, page = _login(browser, live_server, "staff_a")
    page.goto(f"/sessions/{session.pk}/move/")
    page.fill("#id_date", "2026-12-25")
    _submit(page, "main form button[type=submit]")
    assert "Kerstmis" in page.inner_text("main")
    shoot(page, "staff-session-move-holiday")
    page.check("#id_confirm_closed_day")
    _submit(page, "main form button[type=submit]")
    session.refresh_from_db()
    assert session.date == datetime.date(2026, 12, 25)
    context.close()


def test_staff_find_the_agreement_by_search_and_the_facilitators_follow_it(
    browser, live_server, transactional_db, today, staff_a, partnership_a, office_a
):
    """The module form holds no contact until an agreement is chosen; choosing one by search
    fetches its partners' contacts, and choosing another replaces them."""
    partnership_a.title = "Samenwerking Wonen"
    partnership_a.save()
    jan = f.ContactPersonFactory(organisation=partnership_a.lead_partner, name="Jan Peeters")
    other = f.PartnershipFactory(office=office_a, title="Samenwerking Werk")
    els = f.ContactPersonFactory(organisation=other.lead_partner, name="Els Janssens")
    context, page = _login(browser, live_server, "staff_a")
    page.goto("/modules/new/")
    facilitator = page.locator("#id_partner_facilitator")
    assert facilitator.locator("option").count() == 1  # "Choose …"
    for title, contact, gone in (("Wonen", jan, els), ("Werk", els, jan)):
        page.locator("#id_partnership-ts-control").fill(title)
        # ("Samenwerking" itself contains "werk": match the whole title.)
        option = page.locator(
            "#id_partnership-ts-dropdown .option", has_text=f"Samenwerking {title}"
        )
        option.click()
        expect(facilitator.locator(f'option[value="{contact.pk}"]')).to_have_count(1)
        expect(facilitator.locator(f'option[value="{gone.pk}"]')).to_have_count(0)
    context.close()
