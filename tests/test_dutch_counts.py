"""Counts keep their number in Dutch: every list and every counted heading, with 0, 1 and 7
rows, shows the number and the right singular or plural noun ("1 overeenkomst",
"7 overeenkomsten"), and a list without rows says so."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from modules.models import Enrolment, Module, Session
from tests import factories as f

pytestmark = pytest.mark.django_db

COUNTS = (0, 1, 7)


def text_of(response) -> str:
    """The page as a reader sees it: tags gone, entities decoded, whitespace collapsed."""
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def caption(response) -> str:
    found = re.findall(r"<caption[^>]*>(.*?)</caption>", response.content.decode(), re.S)
    return " ".join(unescape(strip_tags(found[0])).split()) if found else ""


def noun(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# (url name, user fixture, make n rows, singular, plural, the empty list's message)
LISTS = [
    (
        "partnerships:partner_list",
        "staff_a",
        lambda w, n: f.PartnerOrganisationFactory.create_batch(n),
        "partnerorganisatie",
        "partnerorganisaties",
        "Geen partnerorganisaties gevonden met deze filters.",
    ),
    (
        "partnerships:partnership_list",
        "staff_a",
        lambda w, n: f.PartnershipFactory.create_batch(n, office=w["office"]),
        "overeenkomst",
        "overeenkomsten",
        "Geen samenwerkingsovereenkomsten gevonden met deze filters.",
    ),
    (
        "modules:module_list",
        "staff_a",
        lambda w, n: f.ModuleFactory.create_batch(n, partnership=w["partnership"]),
        "module",
        "modules",
        "Geen modules gevonden met deze filters.",
    ),
    (
        "modules:offer_request_list",
        "staff_a",
        lambda w, n: f.OfferRequestFactory.create_batch(
            n, office=w["office"], partner=w["organisation"]
        ),
        "aanvraag",
        "aanvragen",
        "Geen aanvragen voor aanbod gevonden met deze filters.",
    ),
    (
        "modules:participant_list",
        "caseworker_a",
        lambda w, n: f.ParticipantFactory.create_batch(n, organisation=w["organisation"]),
        "cliënt",
        "cliënten",
        "Geen cliënten gevonden voor deze zoekopdracht.",
    ),
    (
        "modules:open_module_list",
        "caseworker_a",
        lambda w, n: f.ModuleFactory.create_batch(n, partnership=w["partnership"]),
        "open module",
        "open modules",
        "Geen open modules gevonden met deze filters.",
    ),
]


# Lists that show one row of the fixtures already -> a filter that leaves none.
ALREADY_ONE = {
    "partnerships:partner_list": "?q=zzz-niemand",
    "partnerships:partnership_list": "?status=cancelled",
}


@pytest.fixture
def world(office_a, organisation_a, partnership_a, staff_a, caseworker_a):
    # The partner list shows every partner: office A's agreement's partner is already one.
    return {"office": office_a, "organisation": organisation_a, "partnership": partnership_a}


@pytest.mark.parametrize("n", COUNTS)
@pytest.mark.parametrize("list_", LISTS, ids=[row[0] for row in LISTS])
def test_every_list_says_in_dutch_how_many_rows_it_has(client, request, world, list_, n):
    url_name, user, make, one, many, empty = list_
    url = reverse(url_name)
    if url_name in ALREADY_ONE:
        # Organisation A and office A's agreement are there already: add the others, and
        # filter them all away for the empty list.
        make(world, max(n - 1, 0))
        url += "" if n else ALREADY_ONE[url_name]
    else:
        make(world, n)
    client.force_login(request.getfixturevalue(user))

    response = client.get(url)

    if n:
        assert caption(response) == noun(n, one, many)
    else:
        assert caption(response) == ""
        assert empty in text_of(response)


@pytest.mark.parametrize("n", COUNTS)
def test_the_evaluation_list_counts_its_evaluations(client, staff_a, partnership_a, n):
    f.EvaluationFactory.create_batch(n, partnership=partnership_a)
    client.force_login(staff_a)

    response = client.get(reverse("modules:evaluation_list"))
    page = text_of(response)

    if n:
        assert f"<p>{noun(n, 'evaluatie', 'evaluaties')}</p>" in response.content.decode()
    else:
        assert "Geen evaluaties gevonden met deze filters." in page


def _enrol(module, n, status, organisation):
    for i in range(n):
        f.EnrolmentFactory(
            module=module,
            participant=f.ParticipantFactory(organisation=organisation),
            status=status,
            waitlist_position=i + 1 if status == Enrolment.Status.WAITLISTED else None,
        )


@pytest.mark.parametrize("n", COUNTS)
def test_the_module_page_counts_each_group_of_enrolments(
    client, staff_a, partnership_a, organisation_a, n
):
    module = f.ModuleFactory(partnership=partnership_a, capacity=30)
    for status in (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED):
        _enrol(module, n, status, organisation_a)
    _enrol(module, n, Enrolment.Status.WITHDRAWN, organisation_a)
    client.force_login(staff_a)

    page = text_of(client.get(reverse("modules:module_detail", args=[module.pk])))

    assert f"Ingeschreven ({n})" in page
    assert f"Wachtlijst ({n})" in page
    assert f"Uitgeschreven ({n})" in page


@pytest.mark.parametrize("n", COUNTS)
def test_the_attendance_page_counts_its_participants(
    client, staff_a, partnership_a, organisation_a, n
):
    module = f.ModuleFactory(partnership=partnership_a, capacity=30)
    session = f.SessionFactory(module=module)
    _enrol(module, n, Enrolment.Status.ENROLLED, organisation_a)
    client.force_login(staff_a)

    response = client.get(reverse("modules:attendance", args=[session.pk]))

    if n:
        assert caption(response) == noun(n, "deelnemer", "deelnemers")
    else:
        assert "Niemand is ingeschreven voor deze module." in text_of(response)


@pytest.mark.parametrize("n", (1, 7))
def test_the_series_preview_counts_its_sessions(client, staff_a, partnership_a, n):
    module = f.ModuleFactory(partnership=partnership_a)
    client.force_login(staff_a)

    response = client.post(
        reverse("modules:session_generate", args=[module.pk]),
        {
            "weekday": "2",  # Wednesdays in May and June 2027: no public holiday
            "start_time": "09:00",
            "end_time": "12:00",
            "start_date": "2027-05-05",
            "count": str(n),
            "interval_weeks": "1",
            "preview": "1",
        },
    )

    assert re.search(rf">\s*{noun(n, 'sessie', 'sessies')}\s*</h2>", response.content.decode())
    assert Session.objects.filter(module=module).count() == 0  # a preview saves nothing


def test_a_series_without_dates_says_so(client, staff_a, partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    client.force_login(staff_a)

    response = client.post(
        reverse("modules:session_generate", args=[module.pk]),
        {
            "weekday": "0",  # a Monday from Wednesday to Friday: none
            "start_time": "09:00",
            "end_time": "12:00",
            "start_date": "2027-05-05",
            "end_date": "2027-05-07",
            "interval_weeks": "1",
            "preview": "1",
        },
    )

    assert "Deze reeks levert geen data op." in text_of(response)


@pytest.mark.parametrize("n", COUNTS)
def test_the_close_page_counts_held_cancelled_and_planned_sessions(
    client, staff_a, partnership_a, n
):
    module = f.ModuleFactory(partnership=partnership_a, status=Module.Status.RUNNING)
    for status in (Session.Status.HELD, Session.Status.CANCELLED, Session.Status.PLANNED):
        f.SessionFactory.create_batch(n, module=module, status=status)
    client.force_login(staff_a)

    page = text_of(client.get(reverse("modules:module_close", args=[module.pk])))

    assert noun(n, "sessie gegeven", "sessies gegeven") in page
    assert noun(n, "sessie geannuleerd", "sessies geannuleerd") in page
    assert noun(n, "sessie nog gepland", "sessies nog gepland") in page


@pytest.mark.parametrize("n", COUNTS)
def test_the_caseworker_home_counts_clients_and_open_modules(
    client, caseworker_a, organisation_a, partnership_a, n
):
    f.ParticipantFactory.create_batch(n, organisation=organisation_a)
    f.ModuleFactory.create_batch(n, partnership=partnership_a)
    client.force_login(caseworker_a)

    page = text_of(client.get(reverse("home")))

    assert f"Alle cliënten ({n})" in page
    assert f"Alle open modules ({n})" in page


@pytest.mark.parametrize("n", (1, 7))
def test_an_open_module_counts_the_clients_waiting(
    client, caseworker_a, organisation_a, partnership_a, n
):
    module = f.ModuleFactory(partnership=partnership_a, capacity=1)
    _enrol(module, 1, Enrolment.Status.ENROLLED, organisation_a)
    _enrol(module, n, Enrolment.Status.WAITLISTED, organisation_a)
    client.force_login(caseworker_a)

    page = text_of(client.get(reverse("modules:open_module_detail", args=[module.pk])))

    assert noun(n, "cliënt op de wachtlijst", "cliënten op de wachtlijst") in page


def test_messages_with_a_count_use_the_singular_for_one(client, staff_a, partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    client.force_login(staff_a)

    response = client.post(
        reverse("modules:session_generate", args=[module.pk]),
        {
            "weekday": "2",
            "start_time": "09:00",
            "end_time": "12:00",
            "start_date": "2027-05-05",
            "count": "1",
            "interval_weeks": "1",
            "confirm": "1",
        },
        follow=True,
    )

    assert "Er is 1 sessie gepland." in text_of(response)
    assert Session.objects.get(module=module).date == datetime.date(2027, 5, 5)
