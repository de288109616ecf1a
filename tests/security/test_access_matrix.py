"""A generated access matrix over every named URL of the project, the REST API included (the
Django admin, with its own login and permissions, is tested in tests/test_admin.py).

Each URL pattern has an entry in EXPECTED saying what kind of page it is; the kind says
what each outsider gets. A pattern added without an entry fails the first test, so the
matrix stays complete, also for URLs that other apps add later. No response may be a 500
(the test client re-raises exceptions).
"""

import pytest
from django.core import serializers
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api import models as api_models
from modules import models as module_models
from partnerships import models as partnership_models

NAMESPACES = ("partnerships", "modules", "api")  # the apps whose rows the snapshot compares
NOT_WALKED = ("admin",)

# kinds of page ------------------------------------------------------------------------
STAFF_PAGE = "staff page without an object"  # lists and create forms of staff
SHARED_PARTNER = "partner organisation (shared by all offices)"
OFFICE_OBJECT = "object of office A (agreement, module, session, request, evaluation)"
CLIENT_READ = "client of organisation A, readable by staff of its modules"
CLIENT_CHANGE = "client or enrolment of organisation A, changed by caseworkers only"
CLIENT_LIST = "client list (staff and caseworkers)"
CASEWORKER_PAGE = "caseworker page without an object"
OPEN_MODULE = "module A as open to organisation A's caseworkers"
REPORT = "counts only (no personal data)"
PUBLIC = "public page (login, password reset, language switch)"
OWN_ACCOUNT = "any logged-in user's own pages (home, password, two-step login)"
IMPORT_PREVIEW = "caseworker A's client import preview"
OWN_TOKEN = "caseworker A's API token"
API_DOCS = "API schema and documentation (no data, no login)"
FEED = "a calendar feed (the secret in the URL is the key; a wrong one is a 404)"
# the REST API (JSON; no login page: 401 without credentials)
API_STAFF_LIST = "API: staff list without an object"
API_SHARED_PARTNER = "API: partner organisation"
API_OFFICE_OBJECT = "API: object of office A"
API_CLIENT_LIST = "API: clients or enrolments list"
API_CLIENT_OBJECT = "API: client or enrolment of organisation A"
API_ENROLMENT_CHANGE = "API: withdrawing organisation A's client"
API_CASEWORKER_LIST = "API: open modules list"
API_OPEN_MODULE = "API: module A as open to organisation A"
API_REPORT = "API: yearly counts"
API_KINDS = {
    API_STAFF_LIST,
    API_SHARED_PARTNER,
    API_OFFICE_OBJECT,
    API_CLIENT_LIST,
    API_CLIENT_OBJECT,
    API_ENROLMENT_CHANGE,
    API_CASEWORKER_LIST,
    API_OPEN_MODULE,
    API_REPORT,
}

# url name -> (kind, kwargs from the world)
EXPECTED = {
    "partnerships:partner_list": (STAFF_PAGE, {}),
    "partnerships:partner_create": (STAFF_PAGE, {}),
    "partnerships:partner_detail": (SHARED_PARTNER, {"pk": "organisation"}),
    "partnerships:partner_update": (SHARED_PARTNER, {"pk": "organisation"}),
    "partnerships:partner_active": (SHARED_PARTNER, {"pk": "organisation"}),
    "partnerships:partnership_list": (STAFF_PAGE, {}),
    "partnerships:partner_choices": (STAFF_PAGE, {}),
    "partnerships:partnership_choices": (STAFF_PAGE, {}),
    "modules:module_partnership_choices": (STAFF_PAGE, {}),
    "modules:plan_partnership_choices": (STAFF_PAGE, {}),
    "modules:plan_module_choices": (STAFF_PAGE, {}),
    "modules:facilitator_choices": (STAFF_PAGE, {}),
    "modules:request_contact_choices": (STAFF_PAGE, {}),
    "partnerships:partnership_create": (STAFF_PAGE, {}),
    "partnerships:partnership_detail": (OFFICE_OBJECT, {"pk": "partnership"}),
    "partnerships:partnership_update": (OFFICE_OBJECT, {"pk": "partnership"}),
    "partnerships:partnership_delete": (OFFICE_OBJECT, {"pk": "partnership"}),
    "partnerships:partnership_document": (OFFICE_OBJECT, {"pk": "partnership"}),
    "partnerships:partnership_document_download": (OFFICE_OBJECT, {"pk": "partnership"}),
    "modules:module_list": (STAFF_PAGE, {}),
    "modules:module_create": (STAFF_PAGE, {}),
    "modules:module_detail": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:module_edit": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:module_cancel": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:module_close": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:module_open_enrolment": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:module_close_enrolment": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:session_add": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:session_generate": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:session_edit": (OFFICE_OBJECT, {"pk": "session"}),
    "modules:session_move": (OFFICE_OBJECT, {"pk": "session"}),
    "modules:session_cancel": (OFFICE_OBJECT, {"pk": "session"}),
    "modules:attendance": (OFFICE_OBJECT, {"pk": "session"}),
    "modules:session_sheet": (OFFICE_OBJECT, {"pk": "session"}),
    "modules:module_sheet": (OFFICE_OBJECT, {"pk": "module"}),
    "modules:certificate": (OFFICE_OBJECT, {"pk": "completed"}),
    "modules:offer_request_list": (STAFF_PAGE, {}),
    "modules:offer_request_create": (STAFF_PAGE, {}),
    "modules:offer_request_detail": (OFFICE_OBJECT, {"pk": "offer_request"}),
    "modules:offer_request_review": (OFFICE_OBJECT, {"pk": "offer_request"}),
    "modules:offer_request_plan": (OFFICE_OBJECT, {"pk": "offer_request"}),
    "modules:offer_request_decline": (OFFICE_OBJECT, {"pk": "offer_request"}),
    "modules:offer_request_module": (OFFICE_OBJECT, {"pk": "offer_request"}),
    "modules:enrolment_manage": (OFFICE_OBJECT, {"pk": "enrolment"}),
    "modules:evaluation_list": (STAFF_PAGE, {}),
    "modules:evaluation_add_partnership": (OFFICE_OBJECT, {"partnership_pk": "partnership"}),
    "modules:evaluation_add_module": (OFFICE_OBJECT, {"module_pk": "module"}),
    "modules:participant_list": (CLIENT_LIST, {}),
    "modules:participant_create": (CASEWORKER_PAGE, {}),
    "modules:participant_detail": (CLIENT_READ, {"pk": "participant"}),
    "modules:participant_edit": (CLIENT_CHANGE, {"pk": "participant"}),
    "modules:participant_reveal": (CLIENT_READ, {"pk": "participant"}),
    "modules:participant_export": (CLIENT_READ, {"pk": "participant"}),
    "modules:participant_export_document": (CLIENT_READ, {"pk": "participant"}),
    "modules:participant_enrol": (CLIENT_CHANGE, {"pk": "participant"}),
    "modules:participant_erase": (CLIENT_CHANGE, {"pk": "participant"}),
    "modules:participant_consent_withdraw": (CLIENT_CHANGE, {"pk": "participant"}),
    "modules:open_module_list": (CASEWORKER_PAGE, {}),
    "modules:open_module_detail": (OPEN_MODULE, {"pk": "module"}),
    "modules:enrolment_withdraw": (CLIENT_CHANGE, {"pk": "enrolment"}),
    "modules:yearly_report": (REPORT, {}),
    "modules:report_partner_choices": (REPORT, {}),
    "home": (OWN_ACCOUNT, {}),
    "login": (PUBLIC, {}),
    "logout": (PUBLIC, {}),
    "password_change": (OWN_ACCOUNT, {}),
    "password_change_done": (OWN_ACCOUNT, {}),
    "password_reset": (PUBLIC, {}),
    "password_reset_done": (PUBLIC, {}),
    "password_reset_confirm": (PUBLIC, {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": (PUBLIC, {}),
    "set_language": (PUBLIC, {}),
    "healthz": (PUBLIC, {}),
    "twofactor:overview": (OWN_ACCOUNT, {}),
    "twofactor:setup": (OWN_ACCOUNT, {}),
    "twofactor:verify": (OWN_ACCOUNT, {}),
    "twofactor:recovery_codes": (OWN_ACCOUNT, {}),
    "twofactor:disable": (OWN_ACCOUNT, {}),
    "account": (OWN_ACCOUNT, {}),
    "modules:mail_preferences": (OWN_ACCOUNT, {}),
    # api app: pages
    "api:token_create": (OWN_ACCOUNT, {}),
    "api:token_revoke": (OWN_TOKEN, {"pk": "api_token"}),
    "api:calendar_create": (OWN_ACCOUNT, {}),
    "api:calendar_revoke": (OWN_ACCOUNT, {}),
    "api:calendar_feed": (FEED, {"secret": "cal_not-a-real-secret"}),
    "api:client_import": (CASEWORKER_PAGE, {}),
    "api:client_import_template_xlsx": (CASEWORKER_PAGE, {}),
    "api:client_import_template_csv": (CASEWORKER_PAGE, {}),
    "api:client_import_preview": (IMPORT_PREVIEW, {"pk": "client_import"}),
    "api:schema": (API_DOCS, {}),
    "api:docs": (API_DOCS, {}),
    # api app: the REST API
    "api:module-list": (API_STAFF_LIST, {}),
    "api:module-detail": (API_OFFICE_OBJECT, {"pk": "module"}),
    "api:session-list": (API_STAFF_LIST, {}),
    "api:session-detail": (API_OFFICE_OBJECT, {"pk": "session"}),
    "api:partner-list": (API_STAFF_LIST, {}),
    "api:partner-detail": (API_SHARED_PARTNER, {"pk": "organisation"}),
    "api:agreement-list": (API_STAFF_LIST, {}),
    "api:agreement-detail": (API_OFFICE_OBJECT, {"pk": "partnership"}),
    "api:plan-target-list": (API_STAFF_LIST, {}),
    "api:plan-target-detail": (API_OFFICE_OBJECT, {"pk": "plan_target"}),
    "api:open-module-list": (API_CASEWORKER_LIST, {}),
    "api:open-module-detail": (API_OPEN_MODULE, {"pk": "module"}),
    "api:client-list": (API_CLIENT_LIST, {}),
    "api:client-detail": (API_CLIENT_OBJECT, {"pk": "participant"}),
    "api:client-reveal": (API_CLIENT_OBJECT, {"pk": "participant"}),
    "api:enrolment-list": (API_CLIENT_LIST, {}),
    "api:enrolment-detail": (API_CLIENT_OBJECT, {"pk": "enrolment"}),
    "api:enrolment-withdraw": (API_ENROLMENT_CHANGE, {"pk": "enrolment"}),
    "api:yearly-report": (API_REPORT, {}),
}

# kind -> actor -> statuses allowed for a method the view handles. "404" for an object the
# actor may not see; 403 when the role may not use the screen at all.
OK = {200, 302}
RULES = {
    STAFF_PAGE: {"staff_b": OK, "caseworker_b": {403}, "manager": {403}},
    SHARED_PARTNER: {"staff_b": OK, "caseworker_b": {403, 404}, "manager": {403}},
    OFFICE_OBJECT: {"staff_b": {404}, "caseworker_b": {403, 404}, "manager": {403}},
    CLIENT_READ: {"staff_b": {404}, "caseworker_b": {404}, "manager": {403}},
    CLIENT_CHANGE: {"staff_b": {403, 404}, "caseworker_b": {404}, "manager": {403}},
    CLIENT_LIST: {"staff_b": OK, "caseworker_b": OK, "manager": {403}},
    CASEWORKER_PAGE: {"staff_b": {403}, "caseworker_b": OK, "manager": {403}},
    OPEN_MODULE: {"staff_b": {403}, "caseworker_b": {404}, "manager": {403}},
    REPORT: {"staff_b": OK, "caseworker_b": {403}, "manager": OK},
    PUBLIC: {"staff_b": OK, "caseworker_b": OK, "manager": OK},
    OWN_ACCOUNT: {"staff_b": OK, "caseworker_b": OK, "manager": OK},
    IMPORT_PREVIEW: {"staff_b": {403}, "caseworker_b": {404}, "manager": {403}},
    OWN_TOKEN: {"staff_b": {404}, "caseworker_b": {404}, "manager": {404}},
    API_DOCS: {"staff_b": OK, "caseworker_b": OK, "manager": OK},
    FEED: {"staff_b": {404, 405}, "caseworker_b": {404, 405}, "manager": {404, 405}},
    API_STAFF_LIST: {"staff_b": OK, "caseworker_b": {403}, "manager": {403}},
    API_SHARED_PARTNER: {"staff_b": OK, "caseworker_b": {403}, "manager": {403}},
    API_OFFICE_OBJECT: {"staff_b": {404}, "caseworker_b": {403}, "manager": {403}},
    API_CLIENT_LIST: {"staff_b": OK, "caseworker_b": OK, "manager": {403}},
    API_CLIENT_OBJECT: {"staff_b": {404}, "caseworker_b": {404}, "manager": {403}},
    API_ENROLMENT_CHANGE: {"staff_b": {403}, "caseworker_b": {404}, "manager": {403}},
    API_CASEWORKER_LIST: {"staff_b": {403}, "caseworker_b": OK, "manager": {403}},
    API_OPEN_MODULE: {"staff_b": {403}, "caseworker_b": {404}, "manager": {403}},
    API_REPORT: {"staff_b": OK, "caseworker_b": {403}, "manager": OK},
}
# What a visitor who is not logged in gets where it is not the login page: the API answers
# 401 (JSON, no redirect), its schema and documentation are public, a feed needs its secret.
ANONYMOUS = {kind: {401} for kind in API_KINDS} | {API_DOCS: {200, 405}, FEED: {404, 405}}


def named_patterns(patterns=None, namespace="") -> dict[str, URLPattern]:
    """Every named URL pattern of the project, by its reversible name (admin excluded)."""
    found = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in NOT_WALKED:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(named_patterns(entry.url_patterns, inner))
        elif entry.name:
            found[f"{namespace}{entry.name}"] = entry
    return found


def handles(pattern: URLPattern, method: str) -> bool:
    if hasattr(pattern.callback, "actions"):  # a REST framework viewset: its routed methods
        return method in pattern.callback.actions
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None:  # a function view: it answers every method itself
        return True
    return method in view_class.http_method_names and hasattr(view_class, method)


def url_for(name: str, world) -> str:
    """The URL with the world's objects as arguments (other values are used as given)."""
    _kind, kwargs = EXPECTED[name]
    return reverse(
        name,
        kwargs={key: world[obj].pk if obj in world else obj for key, obj in kwargs.items()},
    )


def snapshot() -> dict[str, str]:
    """Every row of both apps, serialised: equal snapshots mean nothing changed."""
    rows = {}
    for app in (partnership_models, module_models, api_models):
        for model in vars(app).values():
            if (
                isinstance(model, type)
                and hasattr(model, "_meta")
                and not model._meta.abstract
                and model._meta.app_label in NAMESPACES
                and not model._meta.auto_created
            ):
                rows[model._meta.label] = serializers.serialize(
                    "json", model.objects.order_by("pk")
                )
    return rows


def test_every_named_url_has_an_entry_in_the_matrix():
    names = set(named_patterns())

    assert names - set(EXPECTED) == set(), "add these URL names to EXPECTED in this file"
    assert set(EXPECTED) - names == set(), "these entries name URLs that no longer exist"
    assert {kind for kind, _ in EXPECTED.values()} <= set(RULES)


def test_anonymous_visitors_are_redirected_to_the_login_page_everywhere(client, qa_world):
    before = snapshot()
    for name, pattern in named_patterns().items():
        url = url_for(name, qa_world)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if EXPECTED[name][0] == PUBLIC:
                assert response.status_code in (200, 302, 405), (method, name)
                assert "_auth_user_id" not in client.session, (method, name)
                continue
            if EXPECTED[name][0] in ANONYMOUS:
                expected = ANONYMOUS[EXPECTED[name][0]]
                assert response.status_code in expected, (method, name, response.status_code)
                continue
            assert response.status_code == 302, (method, name, response.status_code)
            assert response["Location"].startswith("/accounts/login/?next="), (method, name)

    assert snapshot() == before


@pytest.mark.parametrize("actor", ["staff_b", "caseworker_b", "manager"])
def test_outsiders_get_the_status_of_the_matrix_and_change_nothing(
    client, request, actor, qa_world
):
    client.force_login(request.getfixturevalue(actor))
    before = snapshot()
    wrong = []
    for name, pattern in named_patterns().items():
        kind, _kwargs = EXPECTED[name]
        allowed = RULES[kind][actor]
        url = url_for(name, qa_world)
        for method in ("get", "post"):
            if method == "post" and allowed is OK:
                continue  # the actor may use this screen: bad-input tests cover its POSTs
            response = getattr(client, method)(url, {"reason": "x", "active": "0"})
            expected = allowed
            if not handles(pattern, method) and allowed != {403}:
                expected = {405} | ({403} & allowed)
            elif not handles(pattern, method) and kind in API_KINDS:
                # The API checks the viewset's roles before the method: a method it does not
                # route is a 405 for a role of the viewset, as harmless as the 403.
                expected = {403, 405}
            if response.status_code not in expected:
                wrong.append((method.upper(), name, response.status_code, sorted(expected)))

    assert wrong == []
    assert snapshot() == before


def test_a_manager_of_office_a_also_gets_403_on_every_page_with_personal_data(
    client, manager_a, qa_world
):
    client.force_login(manager_a)
    personal = {CLIENT_READ, CLIENT_CHANGE, CLIENT_LIST, CASEWORKER_PAGE, OPEN_MODULE}
    personal |= {IMPORT_PREVIEW, API_CLIENT_LIST, API_CLIENT_OBJECT, API_ENROLMENT_CHANGE}
    personal |= {API_CASEWORKER_LIST, API_OPEN_MODULE}
    staff = {STAFF_PAGE, OFFICE_OBJECT, SHARED_PARTNER}
    staff |= {API_STAFF_LIST, API_OFFICE_OBJECT, API_SHARED_PARTNER}
    before = snapshot()
    for name in named_patterns():
        kind, _ = EXPECTED[name]
        if kind in personal or kind in staff:
            for method in ("get", "post"):
                response = getattr(client, method)(url_for(name, qa_world))
                assert response.status_code == 403, (method, name, response.status_code)

    assert snapshot() == before


def test_the_insiders_reach_every_page_of_their_role(client, staff_a, caseworker_a, qa_world):
    """The counterpart: the URLs in the matrix exist and open for the right user."""
    opened = {}
    staff_kinds = {STAFF_PAGE, SHARED_PARTNER, OFFICE_OBJECT, CLIENT_READ, CLIENT_LIST, REPORT}
    staff_kinds |= {API_STAFF_LIST, API_SHARED_PARTNER, API_OFFICE_OBJECT, API_REPORT, API_DOCS}
    staff_kinds |= {API_CLIENT_LIST, API_CLIENT_OBJECT}
    caseworker_kinds = {CLIENT_CHANGE, CASEWORKER_PAGE, OPEN_MODULE, IMPORT_PREVIEW}
    caseworker_kinds |= {API_CASEWORKER_LIST, API_OPEN_MODULE, API_CLIENT_LIST, API_CLIENT_OBJECT}
    for user, kinds in ((staff_a, staff_kinds), (caseworker_a, caseworker_kinds)):
        client.force_login(user)
        for name, pattern in named_patterns().items():
            if EXPECTED[name][0] in kinds and handles(pattern, "get"):
                opened[name] = client.get(url_for(name, qa_world)).status_code

    refused = {name: code for name, code in opened.items() if code not in OK}
    # The agreement in the world has no document: its download is a 404 for everyone.
    assert refused == {"partnerships:partnership_document_download": 404}
