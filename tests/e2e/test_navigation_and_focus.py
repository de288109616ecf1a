"""In a real browser: the menu folds behind a button on a 390 px phone and still works
without JavaScript; every focused element shows a ring of at least 3:1 against what
surrounds it, on the page and on the dark navigation bar (WCAG 2.4.7, 1.4.11)."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--force", stdout=io.StringIO())


@pytest.fixture
def open_page(browser, live_server, demo):
    """open_page(username, viewport, javascript=True): a logged-in page on the home page."""
    contexts = []

    def _open(username: str, viewport: dict, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            java_script_enabled=javascript,
            locale="nl-BE",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        return page

    yield _open
    for context in contexts:
        context.close()


def header_height(page) -> float:
    return page.evaluate("() => document.querySelector('header').getBoundingClientRect().height")


def outside_viewport(page) -> list[str]:
    """Links, buttons and fields that are shown but lie (partly) outside the window."""
    return page.evaluate(
        """() => [...document.querySelectorAll('a, button, input, select, textarea')]
            .filter(e => e.offsetParent !== null && e.type !== 'hidden')
            .filter(e => e.getBoundingClientRect().width > 1)  // not the hidden skip link
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.left < 0 || r.right > window.innerWidth + 1; })
            .map(e => e.outerHTML.slice(0, 80))"""
    )


def test_on_a_phone_the_menu_folds_behind_a_button_that_opens_it(open_page):
    page = open_page("staff", PHONE)
    menu_button = page.get_by_role("button", name="Menu")
    agreements = page.locator("header").get_by_role("link", name="Overeenkomsten")

    assert menu_button.is_visible()
    assert menu_button.get_attribute("aria-expanded") == "false"
    assert not agreements.is_visible()
    assert header_height(page) < 80  # the unfolded menu took ~170 px of a 390 px phone
    assert page.get_by_role("button", name="English").is_visible()
    assert outside_viewport(page) == []

    menu_button.click()
    agreements.wait_for(state="visible")

    assert menu_button.get_attribute("aria-expanded") == "true"
    assert page.locator("header").get_by_role("button", name="Afmelden").is_visible()
    assert outside_viewport(page) == []
    with page.expect_navigation():
        agreements.click()
    assert page.url.endswith("/agreements/")
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_without_javascript_the_menu_stays_open_and_every_page_still_works(open_page):
    page = open_page("staff", PHONE, javascript=False)  # logging in needs no script either
    header = page.locator("header")

    assert not page.get_by_role("button", name="Menu").is_visible()
    for name in ("Start", "Partners", "Overeenkomsten", "Modules", "Jaarrapport"):
        assert header.get_by_role("link", name=name).is_visible(), name
    assert outside_viewport(page) == []

    with page.expect_navigation():
        header.get_by_role("link", name="Modules").click()
    with page.expect_navigation():
        page.locator("main form[role=search] button[type=submit]").click()  # a filter: GET
    assert "/modules/?" in page.url
    with page.expect_navigation():
        header.get_by_role("button", name="Afmelden").click()
    assert "/accounts/login/" in page.url


def test_on_a_wide_screen_the_menu_shows_without_a_button(open_page):
    for username in ("staff", "caseworker", "manager"):
        page = open_page(username, DESKTOP)

        assert not page.get_by_role("button", name="Menu").is_visible()
        assert page.locator("header").get_by_role("link", name="Start").is_visible()
        assert page.locator("header").get_by_role("button", name="Afmelden").is_visible()
        assert header_height(page) < 120


# The focused element's ring and the colour around it: the ring is drawn outside the element
# (outline-offset), so what surrounds it is the first opaque background of an ancestor.
FOCUS_STATE = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  // A search-as-you-type choice (Tom Select) rings its whole control, not the typing field.
  const el = focused.closest('.ts-control') || focused;
  const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number);
  let around = [255, 255, 255];
  for (let n = el.parentElement; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { around = c.slice(0, 3); break; }
  }
  const s = getComputedStyle(el);
  return {
    what: focused.tagName.toLowerCase() + (focused.id ? '#' + focused.id : '') + ' ' +
          (focused.innerText || focused.value || focused.name || '').trim().slice(0, 30),
    style: s.outlineStyle, width: parseFloat(s.outlineWidth),
    ring: rgba(s.outlineColor).slice(0, 3), alpha: rgba(s.outlineColor)[3] ?? 1,
    around: around, inNavbar: !!el.closest('.pw-navbar'),
  };
}"""


def luminance(rgb) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def weak_focus_rings(page, presses: int = 60) -> tuple[list[str], int, int]:
    """Tab through the page; every focused element's ring must be solid, at least 2 px
    and 3:1 against its surroundings. Returns (problems, elements seen, in the navbar)."""
    page.locator("body").focus()
    problems, seen, in_navbar = [], set(), 0
    for _ in range(presses):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None or state["what"] in seen:
            continue
        seen.add(state["what"])
        in_navbar += state["inNavbar"]
        ratio = contrast(state["ring"], state["around"])
        if state["style"] == "none" or state["width"] < 2 or state["alpha"] < 1 or ratio < 3:
            problems.append(
                f"{page.url} {state['what']!r}: {state['style']} {state['width']}px "
                f"ring {state['ring']} on {state['around']} = {ratio:.1f}:1"
            )
    return problems, len(seen), in_navbar


PAGES = {
    "staff": ["/", "/agreements/add/", "/modules/", "/reports/yearly/"],
    "caseworker": ["/", "/clients/new/", "/open-modules/"],
    "manager": ["/", "/reports/yearly/"],
}


def test_every_focused_element_shows_a_ring_of_at_least_3_to_1(open_page):
    problems, navbar_elements = [], 0
    for username, urls in PAGES.items():
        page = open_page(username, DESKTOP)
        for url in urls:
            page.goto(url)
            found, seen, in_navbar = weak_focus_rings(page)
            problems += found
            navbar_elements += in_navbar
            assert seen >= 6, f"{username} {url}: only {seen} elements took the focus"

    # On a phone, in the unfolded menu on the dark bar.
    page = open_page("staff", PHONE)
    page.get_by_role("button", name="Menu").click()
    page.locator("#pw-menu.show").wait_for()
    found, _seen, in_phone_menu = weak_focus_rings(page, presses=15)
    problems += found

    assert navbar_elements >= 15  # the dark navigation bar was really tabbed through
    assert in_phone_menu >= 8
    assert problems == []
