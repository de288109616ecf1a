"""Garbage in every list, report and form, as the role that uses it: never a 500, a message
for a bad form field, and nothing changed in the database.

Forms: each case has a valid baseline (a test proves that it saves); then every field of the
form, in turn, gets garbage of its type (unknown choices, pks that do not exist or belong to
another office, numbers out of range, 2026-02-30, over-long strings, NUL characters) while
the rest stays valid. Lists: every filter field and `page` gets garbage.
"""

import datetime

import pytest
from django import forms
from django.urls import reverse

from modules.models import Enrolment, Module
from tests import factories as f
from tests.security.test_access_matrix import snapshot

HUGE = "9" * 30

# --- lists and the report -----------------------------------------------------------

LISTS = {
    "partnerships:partner_list": "staff_a",
    "partnerships:partnership_list": "staff_a",
    "modules:module_list": "staff_a",
    "modules:offer_request_list": "staff_a",
    "modules:evaluation_list": "staff_a",
    "modules:participant_list": "caseworker_a",
    "modules:open_module_list": "caseworker_a",
    "modules:yearly_report": "manager",
}
GARBAGE_QUERY = ["zzz", "-1", HUGE, "-" + HUGE, "1e9", "2026-02-30", "abc\x00", "x" * 3000, "0"]
PAGES = ["abc", "0", "-1", "999999", HUGE, "1.5", "last"]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_lists_and_the_report_survive_garbage_in_every_filter_and_page(
    client, request, name, qa_world, staff_b, partnership_b
):
    client.force_login(request.getfixturevalue(LISTS[name]))
    url = reverse(name)
    form = client.get(url).context["filter" if name != "modules:yearly_report" else "form"]
    fields = list((form.form if hasattr(form, "form") else form).fields)
    assert fields, "no filter fields found"
    before = snapshot()
    failures = []
    for field in [*fields, "year", "year_from", "year_to", "breakdown", "export"]:
        for value in GARBAGE_QUERY:
            response = client.get(url, {field: value})
            if response.status_code >= 500 or response.status_code not in (200, 404):
                failures.append((field, value[:20], response.status_code))
    for value in PAGES:
        response = client.get(url, {"page": value})
        if response.status_code not in (200, 404):
            failures.append(("page", value[:20], response.status_code))

    assert failures == []
    assert snapshot() == before


# The search-as-you-type endpoints and the open module's client search read their
# parameters without a form: each parameter gets the same garbage.
SEARCHES = {
    "partnerships:partner_choices": ("staff_a", ["q", "of", "active"]),
    "partnerships:partnership_choices": ("staff_a", ["q"]),
    "modules:module_partnership_choices": ("staff_a", ["q"]),
    "modules:plan_partnership_choices": ("staff_a", ["q"]),
    "modules:plan_module_choices": ("staff_a", ["q"]),
    "modules:facilitator_choices": ("staff_a", ["partnership"]),
    "modules:request_contact_choices": ("staff_a", ["partner"]),
    "modules:report_partner_choices": ("manager", ["q"]),
    "modules:open_module_detail": ("caseworker_a", ["q", "page"]),
}


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_the_searches_survive_garbage_in_every_parameter(client, request, name, qa_world):
    role, parameters = SEARCHES[name]
    client.force_login(request.getfixturevalue(role))
    args = [qa_world["module"].pk] if name == "modules:open_module_detail" else []
    url = reverse(name, args=args)
    assert client.get(url).status_code == 200
    before = snapshot()
    failures = []
    for parameter in parameters:
        for value in [*GARBAGE_QUERY, "\x00", "ab\x00cd"]:
            response = client.get(url, {parameter: value})
            if response.status_code != 200:
                failures.append((parameter, value[:20], response.status_code))

    assert failures == []
    assert snapshot() == before


def test_an_unknown_filter_choice_is_answered_with_a_message(client, staff_a, qa_world):
    client.force_login(staff_a)

    response = client.get(reverse("modules:module_list"), {"status": "zzz", "year": "abc"})

    assert response.status_code == 200
    assert response.context["filter"].errors
    assert b"invalid-feedback" in response.content


def test_the_report_falls_back_to_its_defaults_on_garbage_years(client, manager, qa_world):
    client.force_login(manager)

    for params in (
        {"year_from": "99999999", "year_to": "99999999"},
        {"year": "99999999"},
        {"year_from": "-5", "year_to": HUGE},
        {"year_from": "2030", "year_to": "1990"},
        {"breakdown": "zzz", "export": "zzz"},
    ):
        response = client.get(reverse("modules:yearly_report"), params)
        assert response.status_code == 200, params
        filters = response.context["result"].filters
        assert 1990 <= filters.year_from <= filters.year_to <= 2100, params

    for export in ("csv", "xlsx"):
        garbage = {"year_from": HUGE, "office": "abc", "partner": "-1", "export": export}
        response = client.get(reverse("modules:yearly_report"), garbage)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")


def test_staff_asking_the_report_for_another_office_see_their_own_with_a_notice(
    client, staff_b, qa_world, office_a
):
    client.force_login(staff_b)

    response = client.get(reverse("modules:yearly_report"), {"office": office_a.pk})

    assert response.status_code == 200
    assert response.context["result"].filters.office_id == staff_b.membership.office_id
    assert response.context["form"].notices


# --- forms ------------------------------------------------------------------------------


def _management(prefix: str) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_cases(w) -> dict[str, tuple[str, str, dict]]:
    """case -> (user fixture, url, a valid POST body)."""
    other_module = f.ModuleFactory(partnership=w["partnership"], title="Second open module")
    newcomer = f.ParticipantFactory(organisation=w["organisation"], last_name="Nieuw")
    module, session = w["module"], w["session"]
    return {
        "partner": (
            "staff_a",
            reverse("partnerships:partner_create"),
            {
                "name": "Nieuwe partner",
                "kind": "caw",
                "enterprise_number": f.make_enterprise_number(9_000),
                "street": "Straat 1",
                "postal_code": "2000",
                "municipality": "Antwerpen",
                "email": "info@example.be",
                "phone": "03 123 45 67",
                "website": "example.be",
                "is_active": "on",
                "notes": "",
                **_management("contacts"),
            },
        ),
        "partnership": (
            "staff_a",
            reverse("partnerships:partnership_create"),
            {
                "title": "Nieuwe samenwerking",
                "partners": [w["organisation"].pk],
                "lead_partner": w["organisation"].pk,
                "target_group": "OCMW-cliënten",
                "description": "",
                "status": "active",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
                "signed_date": "2025-12-15",
                "agreement_reference": "SW-2026-9",
                **_management("targets"),
            },
        ),
        "module": (
            "staff_a",
            reverse("modules:module_create"),
            {
                "partnership": w["partnership"].pk,
                "title": "Nieuwe module",
                "offer_type": "partial_mo",
                "themes": [w["theme"].pk],
                "language": "nl",
                "teacher": "",
                "partner_facilitator": w["contact"].pk,
                "location": "Lokaal 2",
                "capacity": "12",
                "completion_threshold": "75",
                "enrolment_open": "on",
                "status": "planned",
                "description": "",
            },
        ),
        "session": (
            "staff_a",
            reverse("modules:session_add", args=[module.pk]),
            {
                "date": "2026-12-14",
                "start_time": "09:00",
                "end_time": "12:00",
                "location": "Lokaal 1",
                "topic": "Wonen",
            },
        ),
        "series": (
            "staff_a",
            reverse("modules:session_generate", args=[module.pk]),
            {
                "weekday": "0",
                "start_time": "09:00",
                "end_time": "12:00",
                "start_date": "2027-01-04",
                "count": "3",
                "end_date": "",
                "interval_weeks": "1",
                "location": "Lokaal 1",
                "confirm": "1",
            },
        ),
        "session_move": (
            "staff_a",
            reverse("modules:session_move", args=[session.pk]),
            {"date": "2026-12-15", "start_time": "13:00", "end_time": "16:00"},
        ),
        "session_edit": (
            "staff_a",
            reverse("modules:session_edit", args=[session.pk]),
            {"location": "Zaal 3", "topic": "Gezondheid"},
        ),
        "session_cancel": (
            "staff_a",
            reverse("modules:session_cancel", args=[session.pk]),
            {"reason": "Lesgever ziek"},
        ),
        "module_cancel": (
            "staff_a",
            reverse("modules:module_cancel", args=[module.pk]),
            {"reason": "Te weinig inschrijvingen"},
        ),
        "attendance": (
            "staff_a",
            reverse("modules:attendance", args=[session.pk]),
            {f"mark_{w['enrolment'].pk}": "present"},
        ),
        "offer_request": (
            "staff_a",
            reverse("modules:offer_request_create"),
            {
                "partner": w["organisation"].pk,
                "contact": w["contact"].pk,
                "title": "Vraag naar MO over wonen",
                "themes": [w["theme"].pk],
                "target_group": "Huurders",
                "expected_participants": "15",
                "language": "nl",
                "description": "",
                "received_on": "2026-11-20",
            },
        ),
        "offer_request_plan": (
            "staff_a",
            reverse("modules:offer_request_plan", args=[w["offer_request"].pk]),
            {"planned_partnership": w["partnership"].pk, "planned_module": module.pk},
        ),
        "offer_request_decline": (
            "staff_a",
            reverse("modules:offer_request_decline", args=[w["offer_request"].pk]),
            {"decline_reason": "Geen lesgever beschikbaar"},
        ),
        "evaluation": (
            "staff_a",
            reverse("modules:evaluation_add_partnership", args=[w["partnership"].pk]),
            {
                "source": "partner",
                "date": "2026-11-02",
                "rating": "4",
                "findings": "Goed",
                "recommendations": "",
            },
        ),
        "client": (
            "caseworker_a",
            reverse("modules:participant_create"),
            {
                "first_name": "Nour",
                "last_name": "Haddad",
                "date_of_birth": "1991-04-12",
                "gender": "f",
                "nationality": "Syrisch",
                "languages": "Arabisch",
                "phone": "0470 12 34 56",
                "email": "nour@example.be",
                "national_register_number": f.make_national_register_number(
                    77, datetime.date(1991, 4, 12)
                ),
                "consent_given": "on",
                "consent_date": "2026-11-20",
            },
        ),
        "client_edit": (
            "caseworker_a",
            reverse("modules:participant_edit", args=[w["participant"].pk]),
            {
                "first_name": "Amira",
                "last_name": "Klant-van-A",
                "date_of_birth": "1990-05-17",
                "gender": "f",
                "nationality": "Syrisch",
                "languages": "Arabisch, Frans",
                "phone": "",
                "email": "",
                "national_register_number": w["participant"].national_register_number,
                "consent_date": "2024-01-15",
            },
        ),
        "enrol": (
            "caseworker_a",
            reverse("modules:participant_enrol", args=[w["participant"].pk]),
            {"module": other_module.pk},
        ),
        "enrol_from_module": (
            "caseworker_a",
            reverse("modules:open_module_detail", args=[module.pk]),
            {"participants": [newcomer.pk]},
        ),
        "withdraw": (
            "caseworker_a",
            reverse("modules:enrolment_withdraw", args=[w["enrolment"].pk]),
            {"reason": "Werk gevonden"},
        ),
    }


CASE_NAMES = [
    "partner",
    "partnership",
    "module",
    "session",
    "series",
    "session_move",
    "session_edit",
    "session_cancel",
    "module_cancel",
    "attendance",
    "offer_request",
    "offer_request_plan",
    "offer_request_decline",
    "evaluation",
    "client",
    "client_edit",
    "enrol",
    "enrol_from_module",
    "withdraw",
]


def garbage_for(field: forms.Field, name: str, foreign: dict) -> list[str]:
    """Values the field must refuse, whatever the other fields say."""
    values = []
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        values += ["999999", "abc", "-1", HUGE]
        if name in foreign:
            values.append(str(foreign[name]))
    elif isinstance(field, forms.MultipleChoiceField | forms.ChoiceField):
        values += ["zzz", HUGE]
    elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        values += ["abc", HUGE, "-" + HUGE, "1e400"]
        if field.min_value is not None:
            values.append(str(field.min_value - 1))
        if field.max_value is not None:
            values.append(str(field.max_value + 1))
    elif isinstance(field, forms.DateField):
        values += ["2026-02-30", "99999-01-01", "abc", "0000-00-00"]
    elif isinstance(field, forms.TimeField):
        values += ["25:61", "abc"]
    elif isinstance(field, forms.EmailField):
        values += ["not-an-address", "a\x00@example.be"]
    elif isinstance(field, forms.URLField):
        values += ["http://exa mple.be/\x00"]
    elif isinstance(field, forms.CharField):
        values.append("abc\x00def")
        if field.max_length:
            values.append("x" * (field.max_length + 1))
    return values


def _error_shown(response) -> bool:
    content = response.content.decode()
    return any(mark in content for mark in ("invalid-feedback", "alert-danger", "errorlist"))


@pytest.fixture
def outsiders(partnership_b, office_b, organisation_b):
    """Objects of office B / organisation B whose pks staff of office A must not use."""
    module_b = f.ModuleFactory(partnership=partnership_b)
    contact_b = f.ContactPersonFactory(organisation=organisation_b)
    return {
        "contact": contact_b.pk,
        "partnership": partnership_b.pk,
        "planned_partnership": partnership_b.pk,
        "planned_module": module_b.pk,
        "module": module_b.pk,
        "partner_facilitator": contact_b.pk,
        "participants": f.ParticipantFactory(organisation=organisation_b).pk,
        "office": office_b.pk,
    }


@pytest.mark.parametrize("case", CASE_NAMES)
def test_the_valid_baseline_of_each_form_saves(client, request, case, qa_world, after_sessions):
    """Without this the garbage test below could pass on a form that never saves."""
    role, url, data = form_cases(qa_world)[case]
    client.force_login(request.getfixturevalue(role))
    before = snapshot()

    response = client.post(url, data)

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # enrolment result pages render, they do not redirect
        assert "results" in response.context, response.context.get("form").errors
    assert snapshot() != before


@pytest.mark.parametrize("case", CASE_NAMES)
def test_garbage_in_any_field_of_each_form_gives_a_message_and_changes_nothing(
    client, request, case, qa_world, outsiders, after_sessions
):
    role, url, data = form_cases(qa_world)[case]
    client.force_login(request.getfixturevalue(role))
    page = client.get(url)
    form = page.context["form"] if page.status_code == 200 else None
    if form is None:  # plan and decline are forms on the request page
        detail = client.get(reverse("modules:offer_request_detail", args=[url.split("/")[2]]))
        form = detail.context["plan_form" if "plan" in case else "decline_form"]
    before = snapshot()
    failures = []
    tried = 0
    for name, field in form.fields.items():
        for value in garbage_for(field, name, outsiders):
            tried += 1
            body = {**data, name: value}
            response = client.post(url, body)
            problem = None
            if response.status_code not in (200, 400):
                problem = f"HTTP {response.status_code}"
            elif not _error_shown(response):
                problem = "no message"
            elif snapshot() != before:
                problem = "the database changed"
            if problem:
                failures.append((name, repr(value[:24]), problem))
                before = snapshot()

    assert tried > 0
    assert failures == []


def test_staff_of_another_office_cannot_put_a_module_under_office_a_agreement(
    client, staff_b, qa_world
):
    client.force_login(staff_b)
    count = Module.objects.count()

    response = client.post(
        reverse("modules:module_create"),
        {
            "partnership": qa_world["partnership"].pk,
            "title": "Sneaky",
            "offer_type": "partial_mo",
            "language": "nl",
            "capacity": "5",
            "completion_threshold": "75",
            "status": "planned",
        },
    )

    assert response.status_code == 200
    assert "partnership" in response.context["form"].errors
    assert Module.objects.count() == count


def test_attendance_for_an_enrolment_of_another_module_is_refused(
    client, staff_a, qa_world, after_sessions
):
    client.force_login(staff_a)
    stranger = f.EnrolmentFactory(status=Enrolment.Status.ENROLLED)
    before = snapshot()

    response = client.post(
        reverse("modules:attendance", args=[qa_world["session"].pk]),
        {f"mark_{qa_world['enrolment'].pk}": "present", f"mark_{stranger.pk}": "present"},
    )

    assert response.status_code in (200, 400)
    assert _error_shown(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    "extra",
    [
        {"targets-TOTAL_FORMS": "abc"},
        {"targets-TOTAL_FORMS": HUGE},
        {"targets-TOTAL_FORMS": "1", "targets-0-year": HUGE, "targets-0-planned_sessions": "5"},
        {"targets-TOTAL_FORMS": "1", "targets-0-year": "2026", "targets-0-planned_sessions": "-1"},
        {"targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "1", "targets-0-id": HUGE},
        {
            "targets-TOTAL_FORMS": "1",
            "targets-0-year": "2026\x00",
            "targets-0-planned_modules": "1",
        },
    ],
)
def test_garbage_in_the_plan_targets_formset_gives_a_message_and_changes_nothing(
    client, staff_a, qa_world, extra
):
    _role, url, data = form_cases(qa_world)["partnership"]
    client.force_login(staff_a)
    before = snapshot()

    response = client.post(url, {**data, **extra})

    assert response.status_code in (200, 400)
    assert _error_shown(response)
    assert snapshot() == before
    assert len(response.context["targets"].forms) <= 30, "a forged form count is not capped"


@pytest.mark.parametrize(
    "extra",
    [
        {"contacts-TOTAL_FORMS": HUGE},
        {"contacts-TOTAL_FORMS": "1", "contacts-0-name": "x" * 500},
        {"contacts-TOTAL_FORMS": "1", "contacts-0-name": "Jan", "contacts-0-email": "nope"},
        {"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "1", "contacts-0-id": "-1"},
    ],
)
def test_garbage_in_the_contacts_formset_gives_a_message_and_changes_nothing(
    client, staff_a, qa_world, extra
):
    _role, url, data = form_cases(qa_world)["partner"]
    client.force_login(staff_a)
    before = snapshot()

    response = client.post(url, {**data, **extra})

    assert response.status_code in (200, 400)
    assert _error_shown(response)
    assert snapshot() == before
    assert len(response.context["contacts"].forms) <= 100, "a forged form count is not capped"
