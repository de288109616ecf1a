"""National register numbers stay out of pages, URLs, logs and e-mails; managers never see
participant names (home, report, exports).

The page checks crawl the app: from each role's home page every internal link is followed
(GET only, no exports or reveals), so a new page is checked without being listed here.
"""

import datetime
import io
import logging
import re
import zipfile
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from modules.models import Enrolment, Participant, Session
from partnerships.validators import (
    format_national_register_number,
    mask_national_register_number,
)
from tests import factories as f
from tests.security.conftest import NATIONAL_NUMBER

FORMATTED = format_national_register_number(NATIONAL_NUMBER)
NEW_NUMBER = f.make_national_register_number(41, datetime.date(1993, 2, 11))
NUMBERS = (NATIONAL_NUMBER, FORMATTED, NEW_NUMBER)
HREF = re.compile(r"""(?:href|action|src)="([^"#]*)""")
SKIP = ("/accounts/logout/", "/admin/", "/i18n/", "/static/", "export=", "/reveal/", "/export/")


def crawl(client, start="/", limit=400) -> dict[str, str]:
    """url -> HTML of every page reachable by GET from `start` (redirects followed)."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        for hop, _status in response.redirect_chain:
            pages.setdefault(f"redirect {hop}", "")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        for link in HREF.findall(html):
            link = urljoin(url, link.replace("&amp;", "&"))
            parts = urlsplit(link)
            if parts.netloc or any(skip in link for skip in SKIP):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def contains_number(text: str) -> bool:
    return any(number in text for number in NUMBERS)


@pytest.fixture
def busy_world(qa_world, caseworker_a, organisation_a):
    """qa_world plus a second client with a number and a waitlist."""
    other = f.ParticipantFactory(
        organisation=organisation_a,
        caseworker=caseworker_a,
        last_name="Tweede-klant",
        national_register_number=NEW_NUMBER,
    )
    f.EnrolmentFactory(
        participant=other,
        module=qa_world["module"],
        status=Enrolment.Status.WAITLISTED,
        waitlist_position=1,
    )
    return qa_world


@pytest.mark.parametrize("role", ["staff_a", "caseworker_a", "admin"])
def test_no_page_or_url_reachable_by_a_role_shows_a_national_register_number(
    client, request, role, busy_world
):
    client.force_login(request.getfixturevalue(role))

    pages = crawl(client)

    assert len(pages) > 10, sorted(pages)
    detail = reverse("modules:participant_detail", args=[busy_world["participant"].pk])
    assert detail in pages, "the crawl did not reach the client page"
    assert [url for url in pages if contains_number(url)] == []
    assert [url for url, html in pages.items() if contains_number(html)] == []
    # The client page shows the masked number: the last digits only.
    assert mask_national_register_number(NATIONAL_NUMBER) in pages[detail]


def test_list_pages_never_show_the_number_even_when_searched_for(client, caseworker_a, busy_world):
    client.force_login(caseworker_a)

    for query in (NATIONAL_NUMBER, FORMATTED, "Klant"):
        response = client.get(reverse("modules:participant_list"), {"q": query})
        html = response.content.decode()
        # Only the user's own words come back: in the search box and the language form's `next`.
        html = html.replace(f'value="{query}"', "").replace(f'value="/clients/?q={query}"', "")
        assert not contains_number(html), query
        if query != "Klant":
            assert "Klant-van-A" not in html, "the search is by name only"


def test_a_full_client_flow_logs_and_mails_no_national_register_number(
    client,
    caplog,
    caseworker_a,
    staff_a,
    qa_world,
    django_capture_on_commit_callbacks,
    after_sessions,
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        module = qa_world["module"]
        module.capacity = 1
        module.save(update_fields=["capacity"])
        client.force_login(caseworker_a)

        # register (once with a refused duplicate number, once right), enrol, be waitlisted
        duplicate = client.post(
            reverse("modules:participant_create"),
            {
                "first_name": "Dubbel",
                "last_name": "Nummer",
                "date_of_birth": "1984-03-09",
                "nationality": "Belg",
                "languages": "Nederlands",
                "national_register_number": NATIONAL_NUMBER,
                "consent_given": "on",
                "consent_date": "2026-11-20",
            },
        )
        assert duplicate.status_code == 200 and duplicate.context["form"].errors
        response = client.post(
            reverse("modules:participant_create"),
            {
                "first_name": "Nour",
                "last_name": "Haddad",
                "date_of_birth": "1993-02-11",
                "nationality": "Syrisch",
                "languages": "Arabisch",
                "national_register_number": NEW_NUMBER,
                "consent_given": "on",
                "consent_date": "2026-11-20",
            },
        )
        assert response.status_code == 302
        assert not contains_number(response["Location"])
        newcomer = Participant.objects.get(national_register_number=NEW_NUMBER)
        result = client.post(
            reverse("modules:open_module_detail", args=[module.pk]), {"participants": [newcomer.pk]}
        )
        assert result.status_code == 200 and not contains_number(result.content.decode())
        assert Enrolment.objects.get(participant=newcomer).status == Enrolment.Status.WAITLISTED

        # withdraw the enrolled client: the newcomer is promoted and their caseworker mailed
        withdrawn = client.post(
            reverse("modules:enrolment_withdraw", args=[qa_world["enrolment"].pk]),
            {"reason": f"Verhuisd ({NATIONAL_NUMBER[:3]})"},
        )
        assert withdrawn.status_code == 302
        assert Enrolment.objects.get(participant=newcomer).status == Enrolment.Status.ENROLLED

        # reveal and export (recorded accesses), then staff record attendance and cancel
        client.post(reverse("modules:participant_reveal", args=[newcomer.pk]))
        revealed = client.get(reverse("modules:participant_detail", args=[newcomer.pk]))
        assert f.make_national_register_number(41, datetime.date(1993, 2, 11))[:6] in (
            revealed.content.decode().replace(".", "")
        ), "the reveal should show the number on the page (and only there)"
        client.post(reverse("modules:participant_export", args=[newcomer.pk]))
        client.force_login(staff_a)
        session = qa_world["session"]
        enrolled = Enrolment.objects.filter(module=module, status=Enrolment.Status.ENROLLED)
        marks = {f"mark_{e.pk}": "present" for e in enrolled}
        assert client.post(reverse("modules:attendance", args=[session.pk]), marks).status_code in (
            200,
            302,
        )
        assert Session.objects.get(pk=session.pk).status == Session.Status.HELD
        client.post(reverse("modules:module_cancel", args=[module.pk]), {"reason": "Test"})

    assert len(mail.outbox) >= 1, "the promotion should have sent an e-mail"
    for message in mail.outbox:
        text = " ".join([message.subject, message.body, *message.to])
        assert not contains_number(text), message.subject
    assert not contains_number(caplog.text)
    for record in caplog.records:
        assert not contains_number(str(record.args)), record.getMessage()


@pytest.mark.parametrize("role", ["manager", "manager_a"])
def test_managers_pages_and_exports_contain_no_participant_names(client, request, role, busy_world):
    held = busy_world["held_session"]
    assert held.status == Session.Status.HELD
    client.force_login(request.getfixturevalue(role))
    names = [
        name
        for participant in Participant.objects.all()
        for name in (participant.first_name, participant.last_name)
    ]
    assert "Klant-van-A" in names

    pages = crawl(client)
    report = reverse("modules:yearly_report")
    texts = dict(pages)
    for breakdown in ("partner_kind", "office", "partner", "theme", "offer_type", "language"):
        params = {"breakdown": breakdown, "year_from": "2024", "year_to": "2026"}
        texts[f"report {breakdown}"] = client.get(report, params).content.decode()
        csv = client.get(report, {**params, "export": "csv"})
        assert csv.status_code == 200
        texts[f"csv {breakdown}"] = csv.content.decode("utf-8-sig")
        xlsx = client.get(report, {**params, "export": "xlsx"})
        with zipfile.ZipFile(io.BytesIO(xlsx.content)) as workbook:
            texts[f"xlsx {breakdown}"] = " ".join(
                workbook.read(name).decode() for name in workbook.namelist()
            )

    assert "/" in pages and report in " ".join(pages)
    assert "2026" in texts["csv office"]
    leaks = [(where, name) for where, text in texts.items() for name in names if name in text]
    assert leaks == []
    assert [where for where, text in texts.items() if contains_number(text)] == []


def test_the_edit_form_hides_the_stored_number_and_keeps_it_when_left_empty(
    client, caseworker_a, qa_world
):
    participant = qa_world["participant"]
    client.force_login(caseworker_a)
    url = reverse("modules:participant_edit", args=[participant.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "first_name": "Amira",
            "last_name": "Klant-van-A",
            "date_of_birth": "1990-05-17",
            "nationality": "Syrisch",
            "languages": "Arabisch",
            "national_register_number": "",
            "consent_date": "2024-01-15",
        },
    )

    assert not contains_number(page)
    assert mask_national_register_number(NATIONAL_NUMBER) in page
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.national_register_number == NATIONAL_NUMBER
