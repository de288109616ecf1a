"""Issue 11 in the browser: a caseworker reads a client's change history and access log,
prints the readable export, switches off a kind of mail, withdraws consent and erases a
client; every page passes axe (WCAG 2.1 AA) without CSP or script errors."""

from modules.models import Enrolment, MailOptOut, Participant
from modules.queries import participants_visible_to
from partnerships.models import User
from tests.e2e.test_accessibility_pages import first, tour  # noqa: F401 (the fixture)


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

    # The readable export: a POST from the client page.
    with t.page.expect_navigation():
        t.page.click("form[action$='/export/document/'] button")
    t.check("readable export")
    assert "Jouw gegevens in Partnerwerk" in t.page.content()

    # Mail settings on the account page: switch off "session moved or cancelled".
    t.visit("/account/#mail", "account page with mail settings")
    t.page.uncheck("input[name=wanted][value=session_change]")
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
    with t.page.expect_navigation():
        t.page.click("main form[method=post] button[type=submit]")
    t.check("client page after erasure")
    participant = Participant.objects.get(pk=participant.pk)
    assert participant.anonymised_at is not None
    assert Enrolment.objects.filter(participant=participant).count() == enrolments_before
    t.assert_clean()
