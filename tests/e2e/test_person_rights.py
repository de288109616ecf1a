"""Issue 11 in the browser: a caseworker reads a client's change history and access log,
prints the readable export, switches off a kind of mail, withdraws consent and erases a
client; every page passes axe (WCAG 2.1 AA) without CSP or script errors."""

import os
from pathlib import Path

from modules.models import Enrolment, MailOptOut, Participant
from modules.queries import participants_visible_to
from partnerships.models import User
from tests.e2e.test_accessibility_pages import first, tour  # noqa: F401 (the fixture)

# `DOCS_SCREENSHOTS=1 pytest tests/e2e/test_person_rights.py` renews the docs' pictures.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


def shoot(page, name: str) -> None:
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_caseworker_uses_the_persons_rights_and_mail_settings(tour):  # noqa: F811
    t = tour
    caseworker = User.objects.get(username="caseworker")
    clients = participants_visible_to(caseworker).filter(anonymised_at__isnull=True)
    participant = first(clients.filter(enrolments__isnull=False).distinct())
    other = first(clients.exclude(pk=participant.pk))
    enrolments_before = Enrolment.objects.filter(participant=participant).count()

    t.login("caseworker")
    t.visit(f"/clients/{participant.pk}/", "client page with history and access log")
    assert t.page.locator("#history").count() == 1
    assert t.page.locator("#access-log").count() == 1
    shoot(t.page, "client-page-history-and-access-log")

    # The readable export: a POST from the client page.
    with t.page.expect_navigation():
        t.page.click("form[action$='/export/document/'] button")
    t.check("readable export")
    assert "Jouw gegevens in Partnerwerk" in t.page.content()
    shoot(t.page, "client-readable-export")

    # Mail settings on the account page: switch off "session moved or cancelled".
    t.visit("/account/#mail", "account page with mail settings")
    t.page.uncheck("input[name=wanted][value=session_change]")
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(exist_ok=True)
        t.page.locator("#mail").screenshot(path=str(SCREENSHOTS / "account-mail-settings.png"))
    with t.page.expect_navigation():
        t.page.click("form[action$='/account/mail/'] button[type=submit]")
    t.check("account page after saving mail settings")
    assert list(MailOptOut.objects.filter(user=caseworker).values_list("kind", flat=True)) == [
        "session_change"
    ]

    # Withdraw consent for one client.
    t.visit(f"/clients/{other.pk}/consent/withdraw/", "withdraw consent")
    t.page.check("input[name=confirm]")
    with t.page.expect_navigation():
        t.page.click("main form[method=post] button[type=submit]")
    t.check("client page after withdrawing consent")
    other.refresh_from_db()
    assert other.consent_withdrawn_on is not None

    # Erase: first without a reason (the form says what is missing), then for real.
    t.submit_invalid(f"/clients/{participant.pk}/erase/", "erase without a reason")
    t.page.goto(f"/clients/{participant.pk}/erase/")
    t.page.fill("textarea[name=reason]", "Verzoek van de persoon")
    t.page.check("input[name=confirm]")
    shoot(t.page, "client-erase-confirmation")
    with t.page.expect_navigation():
        t.page.click("main form[method=post] button[type=submit]")
    t.check("client page after erasure")
    participant = Participant.objects.get(pk=participant.pk)
    assert participant.anonymised_at is not None
    assert Enrolment.objects.filter(participant=participant).count() == enrolments_before
    t.assert_clean()


def test_staff_see_who_changed_a_module_in_its_history(tour):  # noqa: F811
    from modules.queries import planning_modules_for

    t = tour
    staff = User.objects.get(username="staff")
    module = first(planning_modules_for(staff).filter(status="open"))
    old = module.capacity

    t.login("staff")
    # Twice: the demo's modules were created in bulk, without a first version to compare.
    for capacity in (old + 1, old + 3):
        t.page.goto(f"/modules/{module.pk}/edit/")
        t.page.fill("input[name=capacity]", str(capacity))
        with t.page.expect_navigation():
            t.page.click("main form[method=post] [type=submit] >> nth=-1")
    t.visit(f"/modules/{module.pk}/", "module page with its change history")
    history = t.page.locator("#history").locator("xpath=..")
    text = history.inner_text()
    assert "Sara Vermeersch" in text and f"Capaciteit: {old + 1} → {old + 3}" in text
    assert "De vorige versie is niet geregistreerd." in text
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(exist_ok=True)
        history.screenshot(path=str(SCREENSHOTS / "module-change-history.png"))
    t.assert_clean()
