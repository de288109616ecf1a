"""Scripts never block the first paint: every script loads with defer, none is inline, and
the yearly report's chart script comes after its table."""

import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>", re.S)


def scripts(html: str) -> list[str]:
    return [attrs for attrs in SCRIPT.findall(html) if "application/json" not in attrs]


@pytest.mark.parametrize(
    "user, url",
    [
        ("staff_a", lambda w: reverse("home")),
        ("staff_a", lambda w: reverse("modules:module_create")),
        ("staff_a", lambda w: reverse("modules:yearly_report")),
        ("caseworker_a", lambda w: reverse("modules:open_module_list")),
        ("manager", lambda w: reverse("home")),
        (None, lambda w: reverse("login")),
    ],
)
def test_every_script_loads_with_defer(client, request, partnership_a, user, url):
    if user:
        client.force_login(request.getfixturevalue(user))

    html = client.get(url({"partnership": partnership_a})).content.decode()
    found = scripts(html)

    assert found, "no script on the page"
    assert [attrs for attrs in found if "src=" not in attrs] == []  # nothing inline
    assert [attrs for attrs in found if not re.search(r"\bdefer\b", attrs)] == []
    assert "bootstrap.bundle.min.js" in html.split("</head>")[0]  # fetched early, run late


def test_the_report_chart_script_comes_after_the_table(client, manager, partnership_a):
    f.SessionFactory(module=f.ModuleFactory(partnership=partnership_a), status="held")
    client.force_login(manager)

    html = client.get(reverse("modules:yearly_report")).content.decode()

    assert html.index("</table>") < html.index("chart.umd.min.js") < html.index("report-chart.js")
