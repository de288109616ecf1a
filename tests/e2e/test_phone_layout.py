"""Every page of every role on a 390 px phone (issue 13): no link, button or form field lies
outside the window sideways, and no page scrolls sideways. Wide tables become one card per
row (.table-stack) instead of hiding their actions off the screen.

One seeded world, one browser page per role: the whole tour stays within a minute or two."""

import io
import re

import pytest
from django.core.management import call_command

from tests.e2e.phone_pages import PUBLIC_PAGES, pages_for

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

# Shown links, buttons and fields that lie (partly) outside the window; the hidden skip link
# (1 px wide until focused) does not count.
OUTSIDE = """() => [...document.querySelectorAll('a, button, input, select, textarea')]
  .filter(e => e.offsetParent !== null && e.type !== 'hidden')
  .filter(e => e.getBoundingClientRect().width > 1)
  .filter(e => { const r = e.getBoundingClientRect();
                 return r.left < -1 || r.right > window.innerWidth + 1; })
  .map(e => e.outerHTML.slice(0, 100))"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def problems_on(page, url: str) -> list[str]:
    response = page.goto(url)
    found = []
    if response is None or response.status != 200:
        found.append(f"{url}: HTTP {response.status if response else None}")
    outside = page.evaluate(OUTSIDE)
    if outside:
        found.append(f"{url}: {len(outside)} outside the window, e.g. {outside[:3]}")
    width = page.evaluate(SIDEWAYS)
    if width > 0:
        found.append(f"{url}: the page scrolls {width}px sideways")
    return found


@pytest.fixture
def phone(browser, live_server, transactional_db):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-BE")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def test_every_page_of_every_role_fits_a_390_px_phone(phone):
    problems = []
    for url in PUBLIC_PAGES:
        problems += problems_on(phone, url)
    visited = 0
    for username in ("staff", "caseworker", "manager", "admin"):
        login(phone, username)
        for url in pages_for(username):
            problems += [f"{username} {p}" for p in problems_on(phone, url)]
            visited += 1
    assert visited > 50
    assert problems == [], "\n".join(problems)


def test_the_client_page_shows_withdraw_and_open_modules_show_free_places_on_a_phone(phone):
    """The two cases of the issue: "Uitschrijven" at x≈700 and the hidden free places."""
    login(phone, "caseworker")
    client_page = next(u for u in pages_for("caseworker") if re.fullmatch(r"/clients/\d+/", u))
    phone.goto(client_page)
    withdraw = phone.get_by_role("link", name="Uitschrijven").first
    box = withdraw.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    phone.goto("/open-modules/")
    cell = phone.locator("td[data-label='Vrije plaatsen']").first
    box = cell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert "Vrije plaatsen" in phone.evaluate(
        "(e) => getComputedStyle(e, '::before').content", cell.element_handle()
    )
