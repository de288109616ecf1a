"""Outsiders see nothing, proven by content (issue 8, STYLE.md): with data in office A and
organisation A, the users of office B and organisation B get no row, no count and no name of
A — in every `*_visible_to`, on every page they can reach (HTML), in the report's CSV and
XLSX and in a client's JSON export. Each scoping filter was loosened once on purpose to see
these tests fail (see the report of issue 8)."""

import datetime
import io
import json
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from modules import queries as module_queries
from modules.models import Enrolment, Session
from partnerships import queries as partnership_queries
from partnerships.models import Membership
from tests import factories as f
from tests.security.test_personal_data import crawl

# What belongs to office A / organisation A only (partner organisations are shared by all
# offices, so "OCMW A" itself is no secret to staff of B; its agreements with A are).
A_MARKERS = (
    "Akkoord-van-A",
    "Module-van-A",
    "Sessie-van-A",
    "Klant-van-A",
    "Amira",
    "Vraag-van-A",
    "Bevinding-van-A",
    "Reden-van-A",
)


@pytest.fixture
def world_a(qa_world):
    """qa_world with a distinctive name on everything office A and organisation A own."""
    qa_world["partnership"].title = "Akkoord-van-A"
    qa_world["partnership"].save()
    for key in ("module", "closed_module"):
        qa_world[key].title = f"Module-van-A {key}"
        qa_world[key].save()
    Session.objects.filter(module__partnership=qa_world["partnership"]).update(topic="Sessie-van-A")
    qa_world["offer_request"].title = "Vraag-van-A"
    qa_world["offer_request"].save()
    qa_world["evaluation"].findings = "Bevinding-van-A"
    qa_world["evaluation"].save()
    withdrawn = f.ParticipantFactory(
        organisation=qa_world["organisation"], first_name="Amira", last_name="Klant-van-A-2"
    )
    f.EnrolmentFactory(
        participant=withdrawn,
        module=qa_world["module"],
        status=Enrolment.Status.WITHDRAWN,
        withdrawal_reason="Reden-van-A",
    )
    return qa_world


@pytest.fixture
def world_b(partnership_b, organisation_b, caseworker_b):
    """Office B and organisation B have data of their own: their pages are not empty."""
    module = f.ModuleFactory(partnership=partnership_b, title="Module-van-B")
    f.SessionFactory(module=module, date=datetime.date(2026, 12, 8), topic="Sessie-van-B")
    client_b = f.ParticipantFactory(
        organisation=organisation_b, caseworker=caseworker_b, last_name="Klant-van-B"
    )
    f.EnrolmentFactory(participant=client_b, module=module)
    f.OfferRequestFactory(office=partnership_b.office, partner=organisation_b, title="Vraag-van-B")
    f.EvaluationFactory(partnership=partnership_b, findings="Bevinding-van-B")
    return {"module": module, "client": client_b}


@pytest.fixture
def manager_b(office_b):
    user = f.UserFactory(username="manager_b", first_name="Gebruiker", last_name="MANAGER_B")
    f.MembershipFactory(user=user, role=Membership.Role.MANAGER, office=office_b)
    return user


def leaks(text: str) -> list[str]:
    return [marker for marker in A_MARKERS if marker in text]


# --- every *_visible_to ------------------------------------------------------------------

VISIBLE_TO = [
    # (function, the object of A it must hide, the outsiders, the insider who sees it)
    (partnership_queries.offices_visible_to, "office", ["staff_b", "manager_b"], "staff_a"),
    (
        partnership_queries.partnerships_visible_to,
        "partnership",
        ["staff_b", "caseworker_b", "manager_b"],
        "staff_a",
    ),
    (
        partnership_queries.partner_organisations_visible_to,
        "organisation",
        ["caseworker_b"],
        "caseworker_a",
    ),
    (
        module_queries.modules_visible_to,
        "module",
        ["staff_b", "caseworker_b", "manager_b"],
        "staff_a",
    ),
    (
        module_queries.sessions_visible_to,
        "session",
        ["staff_b", "caseworker_b", "manager_b"],
        "staff_a",
    ),
    (
        module_queries.participants_visible_to,
        "participant",
        ["staff_b", "caseworker_b", "manager_b", "manager_a"],
        "caseworker_a",
    ),
    (
        module_queries.participants_visible_to,
        "participant",
        ["staff_b"],
        "staff_a",
    ),
    (
        module_queries.enrolments_visible_to,
        "enrolment",
        ["staff_b", "caseworker_b", "manager_b", "manager_a"],
        "caseworker_a",
    ),
    (module_queries.enrolments_visible_to, "enrolment", ["staff_b"], "staff_a"),
    (
        module_queries.offer_requests_visible_to,
        "offer_request",
        ["staff_b", "caseworker_b", "manager_b"],
        "staff_a",
    ),
    (
        module_queries.evaluations_visible_to,
        "evaluation",
        ["staff_b", "caseworker_b", "manager_b"],
        "staff_a",
    ),
]


@pytest.mark.parametrize(
    ("visible_to", "key", "outsiders", "insider"),
    VISIBLE_TO,
    ids=[f"{fn.__name__}-{insider}" for fn, _k, _o, insider in VISIBLE_TO],
)
def test_every_visible_to_hides_a_from_b_and_shows_it_to_a(
    request, world_a, world_b, manager_b, visible_to, key, outsiders, insider
):
    target = world_a["partnership"].office if key == "office" else world_a[key]

    assert visible_to(request.getfixturevalue(insider)).filter(pk=target.pk).exists()
    for outsider in outsiders:
        assert not visible_to(request.getfixturevalue(outsider)).filter(pk=target.pk).exists(), (
            outsider
        )


# --- every page, export and count ---------------------------------------------------------


@pytest.mark.parametrize("role", ["staff_b", "caseworker_b", "manager_b"])
def test_no_page_an_outsider_reaches_names_anything_of_a(
    client, request, role, world_a, world_b, manager_b
):
    client.force_login(request.getfixturevalue(role))

    pages = crawl(client)

    assert len([url for url in pages if not url.startswith("redirect")]) >= 3
    assert {url: leaks(html) for url, html in pages.items() if leaks(html)} == {}
    own = "Module-van-B" if role != "manager_b" else "Partnerwerk"
    assert any(own in html for html in pages.values()), "B's own data is shown"


def _report_texts(client) -> dict[str, str]:
    report = reverse("modules:yearly_report")
    texts = {}
    for breakdown in ("office", "partner_kind", "partner", "theme", "offer_type", "language"):
        params = {"breakdown": breakdown, "year_from": "2025", "year_to": "2026"}
        texts[f"html {breakdown}"] = client.get(report, params).content.decode()
        texts[f"csv {breakdown}"] = client.get(report, {**params, "export": "csv"}).content.decode(
            "utf-8-sig"
        )
        xlsx = client.get(report, {**params, "export": "xlsx"}).content
        with zipfile.ZipFile(io.BytesIO(xlsx)) as workbook:
            texts[f"xlsx {breakdown}"] = " ".join(
                workbook.read(name).decode() for name in workbook.namelist()
            )
    return texts


@pytest.mark.parametrize("role", ["staff_b", "manager_b"])
def test_the_report_of_office_b_counts_nothing_of_office_a(
    client, request, role, world_a, world_b, manager_b
):
    client.force_login(request.getfixturevalue(role))

    texts = _report_texts(client)
    csv_rows = [
        line.split(";")
        for line in texts["csv office"].splitlines()[1:]
        if line.split(";")[0] == "2026"
    ]

    assert {where: leaks(text) for where, text in texts.items() if leaks(text)} == {}
    assert "Atlas Antwerpen (test)" not in " ".join(texts.values())
    # Office A held a session with a present participant in 2026; office B held none.
    assert all(row[2] == "0" for row in csv_rows), csv_rows


def test_the_report_of_office_a_counts_its_held_session(client, staff_a, world_a, world_b):
    """The counterpart: the same report shows A's numbers to A."""
    client.force_login(staff_a)

    csv = _report_texts(client)["csv office"]

    rows = [line.split(";") for line in csv.splitlines()[1:] if line.startswith("2026;")]
    assert any(row[2] == "1" for row in rows), rows


def test_the_partner_list_counts_only_office_bs_agreements(client, staff_b, world_a, world_b):
    client.force_login(staff_b)

    response = client.get(reverse("partnerships:partner_list"))

    counts = {p.name: p.agreement_count for p in response.context["object_list"]}
    assert counts["OCMW A"] == 0
    assert counts["OCMW B"] == 1


def test_the_home_page_counts_of_organisation_b_leave_out_a(client, caseworker_b, world_a, world_b):
    client.force_login(caseworker_b)

    context = client.get(reverse("home")).context

    assert context["client_count"] == 1
    assert [c.last_name for c in context["clients"]] == ["Klant-van-B"]
    assert context["open_module_count"] == 1


def test_a_shared_clients_json_export_for_staff_b_holds_nothing_of_a(
    client, staff_b, world_a, world_b
):
    shared = world_a["participant"]
    world_b["module"].partnership.partners.add(shared.organisation)
    f.EnrolmentFactory(participant=shared, module=world_b["module"])
    client.force_login(staff_b)

    response = client.post(reverse("modules:participant_export", args=[shared.pk]))

    data = json.loads(response.content)
    text = json.dumps(data, ensure_ascii=False)
    assert [e["module"] for e in data["enrolments"]] == ["Module-van-B"]
    assert [m for m in leaks(text) if m not in ("Klant-van-A", "Amira")] == []


def test_a_cancellation_mail_to_organisation_b_names_only_bs_clients(
    client, staff_b, caseworker_b, world_a, world_b, django_capture_on_commit_callbacks
):
    module_b = world_b["module"]
    module_b.partnership.partners.add(world_a["organisation"])
    f.EnrolmentFactory(participant=world_a["participant"], module=module_b)
    client.force_login(staff_b)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("modules:module_cancel", args=[module_b.pk]), {"reason": "Ziek"})

    to_b = [m for m in mail.outbox if caseworker_b.email in m.to]
    assert to_b and "Klant-van-B" in to_b[0].body
    assert [leaks(m.subject + m.body) for m in to_b] == [[]]
