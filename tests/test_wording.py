"""How the interface reads: no "---------" as an empty choice, labels and column headings
that start with a capital, and the wording the agency asked for ("Wijzigen", "Alle",
"Geslacht", the unique messages, the rating scale).

The crawl logs in as every role on the demo data and follows the links of the pages it
finds (GET only), in Dutch and in English, so a page added later is checked too.
"""

import io
import re
from collections import Counter, deque
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django.utils.html import strip_tags

from modules.models import Objective, OfferRequest, Participant, Theme
from partnerships.forms import PartnerOrganisationForm
from partnerships.models import Office, PartnerOrganisation, Partnership, PartnershipPartner, User
from tests import factories as f

pytestmark = pytest.mark.django_db

DASHES = "---------"
PER_PAGE_KIND = 2  # URLs visited per (URL name, query keys): enough to meet every state
SKIP = (
    "/admin/",  # Django's own admin
    "/accounts/logout/",
    "/i18n/",
)
SKIP_NAMES = {"partnership_document_download", "participant_export"}


class Labels(HTMLParser):
    """Collects the text of field labels, legends, column headings and description terms."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []
        self.in_thead = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "thead":
            self.in_thead = True
        if tag in ("input", "br", "img", "meta", "link"):
            return
        watched = (
            (tag == "label" and "form-label" in (attrs.get("class") or "").split())
            or tag in ("legend", "dt")
            or (tag == "th" and (self.in_thead or attrs.get("scope") in ("col", "colgroup")))
        )
        self.stack.append((tag, watched))
        if watched:
            self.found.append("")

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_thead = False
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if any(watched for _, watched in self.stack):
            self.found[-1] += data


def labels_of(html: str) -> list[str]:
    parser = Labels()
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.found if text.strip()]


def starts_lower_case(text: str) -> bool:
    if text.strip()[:1].isdigit():
        return False  # a count leads ("223 cliënten kunnen ingeschreven worden")
    first = next((char for char in text if char.isalpha()), "")
    return first.islower()


def crawl(client, user, language: str, extra: list[str]) -> dict[str, str]:
    """Every page reachable by links from the home page (plus `extra`): url -> HTML."""
    client.force_login(user)
    client.cookies["django_language"] = language
    queue, seen, kinds, pages = deque(["/", *extra]), set(), Counter(), {}
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIP):
            continue
        seen.add(url)
        try:
            match = resolve(path)
        except Resolver404:
            continue
        kind = (match.view_name, tuple(sorted(urlsplit(url).query.split("&"))))
        if match.url_name in SKIP_NAMES or "export=" in url or kinds[kind] >= PER_PAGE_KIND:
            continue
        kinds[kind] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        pages[url] = html
        for href in re.findall(r'href="([^"#]+)"', html):
            href = unescape(href)
            if href.startswith("?"):
                href = path + href
            if href.startswith("/"):
                queue.append(href)
    return pages


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    staff = User.objects.get(username="staff")
    open_request = OfferRequest.objects.filter(
        office=staff.membership.office, status__in=["new", "under_review"]
    ).first()
    assert open_request is not None
    return {
        "staff": [reverse("modules:offer_request_detail", args=[open_request.pk])],
        "caseworker": [],
        "manager": [],
        "admin": [],
    }


# Pages with a select each, so a crawl that misses them is noticed.
MUST_VISIT = {
    "staff": {
        "partnerships:partner_list",
        "partnerships:partner_create",
        "partnerships:partnership_list",
        "partnerships:partnership_create",
        "partnerships:partnership_update",
        "modules:module_list",
        "modules:module_create",
        "modules:module_edit",
        "modules:session_generate",
        "modules:offer_request_list",
        "modules:offer_request_create",
        "modules:offer_request_detail",
        "modules:evaluation_list",
        "modules:evaluation_add_partnership",
        "modules:evaluation_add_module",
        "modules:attendance",
        "modules:yearly_report",
    },
    "caseworker": {
        "modules:participant_create",
        "modules:participant_edit",
        "modules:participant_enrol",
        "modules:open_module_list",
        "modules:open_module_detail",
        "modules:enrolment_withdraw",
    },
    "manager": {"modules:yearly_report"},
    "admin": {"modules:module_create", "partnerships:partnership_create"},
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_page_offers_dashes_and_every_label_starts_with_a_capital(client, demo, language):
    dashes, lower, visited = [], [], {}
    for username, extra in demo.items():
        pages = crawl(client, User.objects.get(username=username), language, extra)
        visited[username] = {resolve(urlsplit(url).path).view_name for url in pages}
        for url, html in pages.items():
            if DASHES in html:
                dashes.append(f"{username} {url}")
            lower += [
                f"{username} {url}: {text!r}" for text in labels_of(html) if starts_lower_case(text)
            ]

    missed = {name: MUST_VISIT[name] - visited[name] for name in MUST_VISIT}
    assert missed == {name: set() for name in MUST_VISIT}, "the crawl no longer reaches these"
    assert dashes == []
    assert sorted(set(lower)) == []


def test_the_label_collector_sees_what_it_checks():
    html = (
        '<label class="form-label" for="x">soort<span>*</span></label>'
        '<label class="form-check-label">van Dijk, Jan</label>'
        "<table><thead><tr><th>jaar</th></tr></thead><tbody><tr><th>rij</th></tr></tbody></table>"
        "<dl><dt>bron</dt><dd>waarde</dd></dl><fieldset><legend>Plaatsen</legend></fieldset>"
    )

    assert labels_of(html) == ["soort*", "jaar", "bron", "Plaatsen"]
    assert [starts_lower_case(text) for text in labels_of(html)] == [True, True, True, False]


def text_of(response) -> str:
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def test_the_active_filter_offers_all_yes_and_no(client, staff_a):
    client.force_login(staff_a)

    html = client.get(reverse("partnerships:partner_list")).content.decode()
    select = re.search(r'<select name="is_active".*?</select>', html, re.S).group(0)

    assert re.findall(r">([^<]+)</option>", select) == ["Alle", "Ja", "Nee"]
    assert "Onbekend" not in html


def test_filters_say_all_and_forms_say_choose(client, staff_a, partnership_a):
    client.force_login(staff_a)

    filters = client.get(reverse("partnerships:partnership_list")).content.decode()
    form = client.get(reverse("partnerships:partnership_create")).content.decode()

    assert '<option value="" selected>Alle</option>' in filters
    assert re.search(r'<select name="lead_partner"[^>]*>\s*<option value="" selected>Kies …', form)


def test_the_series_preview_button_says_wijzigen(client, staff_a, partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    client.force_login(staff_a)

    response = client.post(
        reverse("modules:session_generate", args=[module.pk]),
        {
            "weekday": "2",
            "start_time": "09:00",
            "end_time": "12:00",
            "start_date": "2027-05-05",
            "count": "3",
            "interval_weeks": "1",
            "preview": "1",
        },
    )

    assert re.search(r'name="edit" value="1">Wijzigen</button>', response.content.decode())


def test_the_manager_home_calls_the_difference_verschil(client, manager):
    client.force_login(manager)

    assert '<th scope="col">Verschil</th>' in client.get(reverse("home")).content.decode()


def test_a_client_page_says_geslacht(client, caseworker_a, organisation_a):
    participant = f.ParticipantFactory(
        organisation=organisation_a, caseworker=caseworker_a, gender="f"
    )
    client.force_login(caseworker_a)

    page = client.get(reverse("modules:participant_detail", args=[participant.pk]))
    form = text_of(client.get(reverse("modules:participant_edit", args=[participant.pk])))

    assert re.search(r">Geslacht</dt><dd[^>]*>Vrouw</dd>", page.content.decode())
    assert "Geslacht" in form and "Gender" not in form + text_of(page)


def test_the_evaluation_form_says_which_end_of_the_scale_is_good(client, staff_a, partnership_a):
    client.force_login(staff_a)

    html = client.get(
        reverse("modules:evaluation_add_partnership", args=[partnership_a.pk])
    ).content.decode()
    select = re.search(r'<select name="rating".*?</select>', html, re.S).group(0)

    assert re.findall(r">([^<]+)</option>", select) == [
        "Kies …",
        "1 – zeer zwak",
        "2",
        "3",
        "4",
        "5 – zeer goed",
    ]
    assert "1 = zeer zwak, 5 = zeer goed." in html


def test_a_taken_enterprise_number_gets_the_agencys_message(organisation_a):
    form = PartnerOrganisationForm(
        data={
            "name": "Dubbel",
            "kind": "ocmw",
            "enterprise_number": organisation_a.enterprise_number,
            "is_active": "on",
        }
    )

    assert not form.is_valid()
    assert form.errors["enterprise_number"] == [
        "Er is al een partnerorganisatie met dit ondernemingsnummer."
    ]


@pytest.mark.parametrize(
    "make_duplicate, field, message",
    [
        (
            lambda: Office(name=f.OfficeFactory().name, agency="atlas", region="antwerpen"),
            "name",
            "Er is al een kantoor met deze naam.",
        ),
        (
            lambda: Theme(code=f.ThemeFactory().code, name="Dubbel"),
            "code",
            "Er is al een thema met deze code.",
        ),
        (
            lambda: Objective(code=f.ObjectiveFactory().code, description="Dubbel"),
            "code",
            "Er is al een MO-doelstelling met deze code.",
        ),
        (
            lambda: Participant(
                first_name="A",
                last_name="B",
                consent_date="2026-01-01",
                organisation=f.PartnerOrganisationFactory(),
                national_register_number=f.ParticipantFactory(
                    national_register_number=f.make_national_register_number(5)
                ).national_register_number,
            ),
            "national_register_number",
            "Er is al een cliënt met dit rijksregisternummer geregistreerd",
        ),
    ],
)
def test_every_unique_field_says_in_words_what_is_taken(make_duplicate, field, message):
    duplicate = make_duplicate()

    with pytest.raises(ValidationError) as refused:
        duplicate.validate_unique()

    assert refused.value.message_dict[field][0].startswith(message)


def test_a_partner_twice_in_an_agreement_gets_a_message_in_words(partnership_a, organisation_a):
    link = PartnershipPartner(partnership=partnership_a, organisation=organisation_a)

    with pytest.raises(ValidationError) as refused:
        link.validate_constraints()

    assert refused.value.messages == ["Deze organisatie is al partner in deze overeenkomst."]
    assert Partnership.objects.count() == 1 and PartnerOrganisation.objects.count() == 1
