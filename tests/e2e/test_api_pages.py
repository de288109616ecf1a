"""The API documentation, the account page and the client import in a real browser, under the
app's own Content-Security-Policy: they work, break no CSP rule and pass axe-core."""

import datetime
import json

import pytest

from tests import factories as f
from tests.e2e.conftest import AXE, WCAG_AA

pytestmark = pytest.mark.e2e

CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def strict_page(browser, live_server, transactional_db):
    """A page that obeys the CSP (no bypass); axe and the CSP listener come as init scripts."""
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    context.set_default_timeout(15_000)
    context.add_init_script(script=CSP_LISTENER)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda m: page.errors.append(m.text) if m.type == "error" and "400" not in m.text else None,
    )
    yield page
    context.close()


def login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def problems(page, *, axe: bool = True, skip: tuple[str, ...] = ()) -> list[str]:
    found = [f"CSP: {v}" for v in page.evaluate("() => window.__csp || []")]
    found += [f"JS: {e}" for e in page.errors]
    if axe:
        violations = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: tags})).violations"
            ".map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))",
            WCAG_AA,
        )
        found += [f"axe: {json.dumps(v)}" for v in violations if v["id"] not in skip]
    return found


def test_the_api_docs_render_from_own_static_files_under_the_csp(strict_page, caseworker_a):
    page = strict_page
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)

    operations = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert any("/api/v1/enrolments/" in text for text in operations)
    page.click("#operations-enrolments-enrolments_create .opblock-summary-control")
    page.wait_for_selector("#operations-enrolments-enrolments_create .opblock-body")
    # Swagger UI puts a copy button inside each operation's summary button: axe's
    # "nested-interactive" is in its markup, not ours. Every other rule holds (our CSS fixes
    # its contrast).
    assert problems(page, skip=("nested-interactive",)) == []


def test_the_docs_page_writes_through_the_session_with_its_csrf_token(
    strict_page, caseworker_a, partnership_a, organisation_a
):
    module = f.ModuleFactory(partnership=partnership_a, capacity=5)
    client = f.ParticipantFactory(organisation=organisation_a, caseworker=caseworker_a)
    page = strict_page
    login(page, "caseworker_a")
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")

    status = page.evaluate(
        """async ([client, module]) => {
            const token = document.getElementById("swagger-ui").dataset.csrfToken;
            const response = await fetch("/api/v1/enrolments/", {
                method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify({client: client, module: module}),
            });
            return [response.status, (await response.json()).status];
        }""",
        [client.pk, module.pk],
    )

    assert status == [201, "enrolled"]
    assert problems(page, axe=False) == []


def test_the_account_page_with_a_new_token_and_calendar_passes_axe(strict_page, staff_a):
    page = strict_page
    login(page, "staff_a")
    page.goto("/account/")
    page.fill("#id_name", "Agenda-koppeling")
    with page.expect_navigation():
        page.click("#api-tokens form[action$='/account/api-tokens/'] button[type=submit]")
    token = page.input_value("#new-api-token")
    assert token.startswith("pw_")
    assert page.locator("[data-copy-target='new-api-token']").is_visible()
    assert problems(page) == []

    with page.expect_navigation():
        page.click("#calendar button[type=submit]")
    address = page.input_value("#new-calendar-url")
    assert "/calendar/cal_" in address
    assert problems(page) == []

    response = page.request.get(address)
    assert response.status == 200
    assert response.text().startswith("BEGIN:VCALENDAR")


def test_the_import_pages_pass_axe(strict_page, caseworker_a, tmp_path):
    page = strict_page
    login(page, "caseworker_a")
    page.goto("/clients/import/")
    assert problems(page) == []

    sheet = tmp_path / "clienten.csv"
    today = datetime.date.today().strftime("%d/%m/%Y")
    sheet.write_text(
        "voornaam;achternaam;geboortedatum;toestemming gegeven op\n"
        f"Amal;Nieuw;01/02/1990;{today}\n"
        f";Zonder-voornaam;01/02/1990;{today}\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(sheet))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/clients/import/" in page.url and page.locator("table tbody tr").count() == 2
    assert problems(page) == []

    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".badge", has_text="geïmporteerd").count() == 1
    assert problems(page) == []


def test_the_account_import_and_docs_pages_reflow_at_320_css_pixels(strict_page, caseworker_a):
    """WCAG 2.1 AA 1.4.10: at 320 px nothing but a table scrolls sideways."""
    page = strict_page
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, "caseworker_a")
    page.goto("/account/")
    page.fill("#id_name", "Dossier")
    with page.expect_navigation():
        page.click("#api-tokens form[action$='/account/api-tokens/'] button[type=submit]")
    too_wide = []
    for url in (None, "/clients/import/", "/api/docs/"):
        if url:
            page.goto(url)
        if url == "/api/docs/":
            page.wait_for_selector(".swagger-ui .opblock")
        width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if width > 0:
            culprits = page.evaluate(
                "() => [...document.querySelectorAll('body *')]"
                ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
                " && !e.parentElement.closest('.table-responsive'))"
                ".slice(0, 3).map(e => e.outerHTML.slice(0, 80))"
            )
            too_wide.append(f"{url or '/account/'}: {width}px too wide {culprits}")

    assert too_wide == []
