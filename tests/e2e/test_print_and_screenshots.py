"""On paper (issue 13 and the attendance sheet of issue 11): Chromium prints the report, the
module page, the attendance page and sheet and a certificate to A4 PDF; the PDF's text is
read back (pypdf) and must hold the last column's heading, the filters used and the print
date, and none of the page's buttons or form controls.

With DOCS_SCREENSHOTS=1 the same run regenerates the screenshots the docs show
(docs/screenshots/): each role's home and the report at 1366 px and at 390 px, and the
report as PDF."""

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from modules.models import Enrolment, Module, Session
from modules.queries import modules_visible_to
from partnerships.models import User

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
# `DOCS_SCREENSHOTS=1 pytest tests/e2e` renews the docs' pictures; otherwise they go to a
# temporary folder, so that a test run leaves the working tree as it was.
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("DOCS_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "partnerwerk-screenshots"
)
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
A4_POINTS = (595, 842)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--force", stdout=io.StringIO())


@pytest.fixture
def open_as(browser, live_server, demo):
    contexts = []

    def _open(username: str, viewport=DESKTOP):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="nl-BE")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "/accounts/login/" not in page.url
        return page

    yield _open
    for context in contexts:
        context.close()


def pdf_of(page, url: str, path: Path | None = None):
    """The page printed by Chromium on A4: (its pages' text, the number of pages)."""
    from pypdf import PdfReader

    page.goto(url)
    page.wait_for_load_state("load")
    data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    if path is not None:
        path.write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    for sheet in reader.pages:
        size = sorted(float(v) for v in sheet.mediabox.upper_right)
        assert abs(size[0] - A4_POINTS[0]) < 2 and abs(size[1] - A4_POINTS[1]) < 2, (url, size)
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


BUTTONS = ("Filteren", "Filters wissen", "CSV downloaden", "Excel downloaden", "Afmelden")


def test_the_report_prints_every_column_with_its_filters_and_date(open_as):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_as("manager")
    text, pages = pdf_of(page, "/reports/yearly/", SHOTS / "report.pdf")
    flat = squeeze(text)
    last_year = page.locator(".report-measure-table thead th").last.inner_text()
    assert last_year in flat
    assert "Afgedrukt op" in flat and "Jaren:" in flat
    assert not [b for b in BUTTONS if b in flat]

    text, pages = pdf_of(page, "/reports/yearly/?breakdown=partner&view=full")
    flat = squeeze(text)
    assert "Gerealiseerd (%)" in flat  # the last column of the full table
    assert "Uitsplitsing per: partner" in flat
    assert not [b for b in BUTTONS if b in flat]


def test_module_attendance_sheet_and_certificate_print_clean(open_as):
    staff = User.objects.get(username="staff")
    modules = modules_visible_to(staff)
    module = modules.filter(status=Module.Status.OPEN).order_by("pk").first()
    held = Session.objects.filter(module__in=modules, status=Session.Status.HELD)
    session = held.exclude(module__status=Module.Status.COMPLETED).order_by("pk").first()
    completed = (
        Enrolment.objects.filter(module__in=modules, status=Enrolment.Status.COMPLETED)
        .order_by("pk")
        .first()
    )
    page = open_as("staff")

    text, _pages = pdf_of(page, f"/modules/{module.pk}/")
    flat = squeeze(text)
    assert module.title in flat and "Afgedrukt op" in flat
    assert "Sessie toevoegen" not in flat and "Reeks plannen" not in flat
    # No label on top of its value: on paper each <dt> ends before its <dd> starts.
    page.emulate_media(media="print")
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('main dl dt')].filter(dt => {
            const dd = dt.nextElementSibling; if (!dd || dd.tagName !== 'DD') return false;
            const a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
            const sameLine = a.top < b.bottom - 1 && b.top < a.bottom - 1;
            return sameLine && a.right > b.left + 1;
        }).map(dt => dt.textContent.trim())"""
    )
    page.emulate_media(media=None)
    assert overlaps == []

    text, _pages = pdf_of(page, f"/sessions/{session.pk}/attendance/")
    flat = squeeze(text)
    assert "Aanwezig Afwezig Verontschuldigd" not in flat  # the radio buttons and labels
    assert "opslaan" not in flat.lower()

    text, pages = pdf_of(page, f"/sessions/{session.pk}/sheet/")
    flat = squeeze(text)
    assert "Aanwezigheidslijst" in flat and "Handtekening" in flat
    assert pages == 1

    text, pages = pdf_of(page, f"/modules/{session.module_id}/sheet/")
    flat = squeeze(text)
    assert "Handtekening" in flat  # the last column, after every session's column
    assert session.date.strftime("%d-%m") in flat

    text, pages = pdf_of(page, f"/enrolments/{completed.pk}/certificate/")
    assert completed.participant.last_name in squeeze(text)
    assert pages == 1


def test_screenshots_of_each_home_and_the_report(open_as):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for username in ("staff", "caseworker", "manager"):
        for size, viewport in (("1366", DESKTOP), ("390", PHONE)):
            page = open_as(username, viewport)
            page.screenshot(path=str(SHOTS / f"home-{username}-{size}.png"))
            if username == "manager":
                page.goto("/reports/yearly/")
                page.wait_for_function("() => !!document.querySelector('#report-chart')")
                # At 1366 px the headline is on the first screen, without scrolling.
                if size == "1366":
                    box = page.locator(".report-headline").bounding_box()
                    assert box["y"] + box["height"] <= DESKTOP["height"]
                page.screenshot(path=str(SHOTS / f"report-{size}.png"))
    assert (SHOTS / "report-1366.png").exists()
