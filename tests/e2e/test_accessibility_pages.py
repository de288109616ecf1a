"""Every page of every role, on the demo data, in a real browser under the app's own CSP:
no axe-core violation (WCAG 2.1 A and AA), no CSP violation, no JavaScript error.

One browser page per role, reused for all its pages, so the whole tour stays short. Each
test collects every problem of its role before failing, so one run shows them all.
"""

import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command

from modules.models import Enrolment, Module, OfferRequest, Session
from modules.queries import (
    enrolments_visible_to,
    evaluations_visible_to,
    modules_visible_to,
    open_modules_for,
    participants_visible_to,
)
from partnerships.models import PartnerOrganisation, Partnership, User
from partnerships.queries import partnerships_visible_to
from tests.e2e.conftest import AXE, WCAG_AA

pytestmark = pytest.mark.e2e

BREAKDOWNS = ("partner_kind", "office", "partner", "theme", "offer_type", "language")

# Installed before any page script: records CSP violations the page itself reports.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


class Tour:
    """One role's browser page: visits pages and collects every problem found on them."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.problems: list[str] = []
        self.console: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"JS error: {error}"))

    def _console(self, message) -> None:
        if message.type not in ("error", "warning"):
            return
        if message.location.get("url") == self.page.url and "status of 400" in message.text:
            return  # a form sent back with its messages as 400 Bad Request: the page itself
        self.console.append(f"console {message.type}: {message.text} {message.location}")

    def login(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.page.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "demo")
        with self.page.expect_navigation():
            self.page.click("main form button[type=submit]")
        assert "/accounts/login/" not in self.page.url, f"{username} could not log in"

    def visit(self, url: str, label: str | None = None) -> None:
        response = self.page.goto(url)
        status = response.status if response else None
        if status != 200:
            self.problems.append(f"{label or url}: HTTP {status}")
        self.check(label or url)

    def submit_invalid(self, url: str, label: str, fill: Callable | None = None) -> None:
        """Open a form, skip the browser's own validation, and submit it as it is (or after
        `fill`), to see the page with the server's field messages."""
        self.page.goto(url)
        self.page.evaluate(
            "() => document.querySelectorAll('form').forEach(f => f.noValidate = true)"
        )
        if fill:
            fill(self.page)
        with self.page.expect_navigation():
            self.page.click("main form[method=post] [type=submit] >> nth=-1")
        if not self.page.locator(".invalid-feedback, .alert-danger, .errorlist").count():
            self.problems.append(f"{label}: no error message shown")
        self.check(label)

    def check(self, label: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        if page.locator("h1").count() != 1:
            self.problems.append(f"{label}: {page.locator('h1').count()} <h1> elements")
        violations = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: tags})).violations"
            ".map(v => ({id: v.id, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))",
            WCAG_AA,
        )
        if violations:
            self.problems.append(f"{label} ({page.url}): axe " + json.dumps(violations))
        width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if width > 0:
            self.problems.append(f"{label}: the page is {width}px wider than the window")
        csp = page.evaluate("() => window.__csp || []")
        if csp:
            self.problems.append(f"{label}: CSP violations {csp}")
        if self.console:
            self.problems.append(f"{label}: {self.console}")
            self.console.clear()

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


@pytest.fixture
def tour(browser, live_server, transactional_db) -> Callable[[], Tour]:
    """A page that obeys the app's CSP (no bypass); axe-core and the CSP listener come in
    as init scripts, which the browser runs outside the page's policy."""
    call_command("seed_demo", "--force", stdout=io.StringIO())
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    context.set_default_timeout(15_000)
    context.add_init_script(script=CSP_LISTENER)
    context.add_init_script(path=str(AXE))
    yield Tour(context.new_page(), live_server)
    context.close()


def first(queryset):
    item = queryset.order_by("pk").first()
    assert item is not None, f"the demo data has no {queryset.model.__name__} for this test"
    return item


def test_every_staff_page_passes_axe_without_csp_or_script_errors(tour):
    t = tour
    staff = User.objects.get(username="staff")
    modules = modules_visible_to(staff)
    partnership = first(partnerships_visible_to(staff).filter(modules__isnull=False).distinct())
    partner = partnership.lead_partner
    module = first(modules.filter(status=Module.Status.OPEN))
    planned = first(Session.objects.filter(module__in=modules, status=Session.Status.PLANNED))
    held = first(Session.objects.filter(module__in=modules, status=Session.Status.HELD))
    completed = first(
        Enrolment.objects.filter(module__in=modules, status=Enrolment.Status.COMPLETED)
    )
    offer_request = first(OfferRequest.objects.filter(office=staff.membership.office))
    participant = first(participants_visible_to(staff))
    assert evaluations_visible_to(staff).exists()

    t.login("staff")
    t.check("staff home")
    for url in [
        "/partners/",
        "/partners/?kind=ocmw&q=OCMW",
        f"/partners/{partner.pk}/",
        "/partners/add/",
        f"/partners/{partner.pk}/edit/",
        "/agreements/",
        "/agreements/?status=active",
        f"/agreements/{partnership.pk}/",
        "/agreements/add/",
        f"/agreements/{partnership.pk}/edit/",
        f"/agreements/{partnership.pk}/delete/",
        f"/agreements/{partnership.pk}/document/",
        "/modules/",
        "/modules/?status=open",
        f"/modules/{module.pk}/",
        "/modules/new/",
        f"/modules/{module.pk}/edit/",
        f"/modules/{module.pk}/cancel/",
        f"/modules/{module.pk}/close/",
        f"/modules/{module.pk}/sessions/new/",
        f"/modules/{module.pk}/sessions/series/",
        f"/sessions/{planned.pk}/edit/",
        f"/sessions/{planned.pk}/move/",
        f"/sessions/{planned.pk}/cancel/",
        f"/sessions/{planned.pk}/attendance/",
        f"/sessions/{held.pk}/attendance/",
        f"/enrolments/{completed.pk}/certificate/",
        "/requests/",
        "/requests/new/",
        f"/requests/{offer_request.pk}/",
        "/evaluations/",
        f"/evaluations/new/agreement/{partnership.pk}/",
        f"/evaluations/new/module/{module.pk}/",
        "/clients/",
        f"/clients/{participant.pk}/",
        "/accounts/password_change/",
    ]:
        t.visit(url)
    for breakdown in BREAKDOWNS:
        t.visit(f"/reports/yearly/?breakdown={breakdown}", f"report by {breakdown}")
    assert t.page.evaluate(
        """() => {
            const canvas = document.getElementById("report-chart");
            if (!window.Chart || !canvas || !Chart.getChart(canvas)) return false;
            const { width, height } = canvas;
            const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
            return pixels.some((value, i) => i % 4 === 3 && value > 0);
        }"""
    ), "the yearly report's chart is not drawn"

    # Forms sent back with the server's field messages.
    t.submit_invalid("/partners/add/", "partner form with errors")
    t.submit_invalid("/agreements/add/", "agreement form with errors")
    t.submit_invalid("/modules/new/", "module form with errors")
    t.submit_invalid(f"/modules/{module.pk}/sessions/new/", "session form with errors")
    t.submit_invalid(f"/modules/{module.pk}/sessions/series/", "series form with errors")
    t.submit_invalid("/requests/new/", "request form with errors")
    t.submit_invalid(f"/evaluations/new/agreement/{partnership.pk}/", "evaluation form with errors")
    t.submit_invalid(f"/modules/{module.pk}/cancel/", "cancel form with errors")

    # The series preview.
    t.page.goto(f"/modules/{module.pk}/sessions/series/")
    t.page.select_option("#id_weekday", "0")
    t.page.fill("#id_start_time", "09:00")
    t.page.fill("#id_end_time", "12:00")
    t.page.fill("#id_start_date", "2027-03-29")
    t.page.fill("#id_count", "6")
    with t.page.expect_navigation():
        t.page.click("main form[method=post] [type=submit] >> nth=0")
    t.check("series preview")
    if "2027-04-05" not in t.page.content() and "5 april" not in t.page.content().lower():
        t.problems.append("series preview does not list Easter Monday 2027 as skipped")

    t.assert_clean()


def test_every_caseworker_page_passes_axe_without_csp_or_script_errors(tour):
    t = tour
    caseworker = User.objects.get(username="caseworker")
    participant = first(participants_visible_to(caseworker).filter(anonymised_at__isnull=True))
    enrolment = first(enrolments_visible_to(caseworker).filter(status=Enrolment.Status.ENROLLED))
    module = first(open_modules_for(caseworker))
    newcomer = first(
        participants_visible_to(caseworker)
        .filter(anonymised_at__isnull=True)
        .exclude(enrolments__module=module)
    )

    t.login("caseworker")
    t.check("caseworker home")
    for url in [
        "/clients/",
        "/clients/?q=a",
        "/clients/new/",
        f"/clients/{participant.pk}/",
        f"/clients/{participant.pk}/edit/",
        f"/clients/{participant.pk}/enrol/",
        "/open-modules/",
        "/open-modules/?language=nl",
        f"/open-modules/{module.pk}/",
        f"/enrolments/{enrolment.pk}/withdraw/",
        "/accounts/password_change/",
    ]:
        t.visit(url)
    t.submit_invalid("/clients/new/", "client form with errors")

    # Enrol a client through the form and check the result page.
    t.page.goto(f"/clients/{newcomer.pk}/enrol/")
    t.page.check(f'input[name=module][value="{module.pk}"]')
    with t.page.expect_navigation():
        t.page.click("main form[method=post] [type=submit]")
    t.check("enrol result")
    t.assert_clean()


def test_every_manager_page_passes_axe_without_csp_or_script_errors(tour):
    t = tour
    t.login("manager")
    t.check("manager home")
    for breakdown in BREAKDOWNS:
        t.visit(f"/reports/yearly/?breakdown={breakdown}", f"report by {breakdown}")
    t.visit("/reports/yearly/?year_from=2030&year_to=2031", "report without data")
    t.visit("/accounts/password_change/")
    t.assert_clean()


def test_the_administrators_app_pages_pass_axe_without_csp_or_script_errors(tour):
    t = tour
    module = first(Module.objects.all())
    partnership = first(Partnership.objects.all())
    partner = first(PartnerOrganisation.objects.all())
    t.login("admin")
    t.check("admin home")
    for url in [
        "/partners/",
        f"/partners/{partner.pk}/",
        "/agreements/",
        f"/agreements/{partnership.pk}/",
        "/agreements/add/",
        "/modules/",
        f"/modules/{module.pk}/",
        "/modules/new/",
        "/requests/",
        "/requests/new/",
        "/evaluations/",
        "/clients/",
        "/reports/yearly/?breakdown=office",
    ]:
        t.visit(url)
    t.assert_clean()


def test_staff_and_caseworker_pages_reflow_at_320_css_pixels(tour):
    """WCAG 2.1 AA 1.4.10 (reflow): at 320 px nothing but a table scrolls sideways."""
    t = tour
    t.page.set_viewport_size({"width": 320, "height": 640})
    staff = User.objects.get(username="staff")
    partnership = first(partnerships_visible_to(staff).filter(modules__isnull=False).distinct())
    module = first(modules_visible_to(staff).filter(status=Module.Status.OPEN))
    too_wide = []
    for username, urls in (
        (
            "staff",
            [
                "/",
                "/partners/",
                f"/partners/{partnership.lead_partner_id}/",
                "/agreements/",
                "/agreements/add/",
                f"/agreements/{partnership.pk}/",
                "/modules/",
                f"/modules/{module.pk}/",
                "/requests/",
                "/evaluations/",
                "/clients/",
                "/reports/yearly/",
            ],
        ),
        ("caseworker", ["/", "/clients/", "/clients/new/", "/open-modules/"]),
        ("manager", ["/", "/reports/yearly/"]),
    ):
        t.login(username)
        for url in urls:
            t.page.goto(url)
            width = t.page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            if width > 0:
                culprits = t.page.evaluate(
                    "() => [...document.querySelectorAll('body *')]"
                    ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
                    " && !e.parentElement.closest('.table-responsive'))"
                    ".slice(0, 3).map(e => e.outerHTML.slice(0, 80))"
                )
                too_wide.append(f"{username} {url}: {width}px too wide {culprits}")

    assert too_wide == []
