"""Evaluations of agreements and modules: add from either, list with filters, scoping."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Evaluation
from modules.services import DomainError, add_evaluation
from tests import factories as f

pytestmark = pytest.mark.django_db

EVALUATION = {
    "source": "inspectorate",
    "date": "2026-06-01",
    "rating": "5",
    "findings": "Zeer waardevol aanbod.",
    "recommendations": "Meer sessies over wonen.",
}


def test_staff_adds_evaluation_to_partnership(client, staff_a, partnership_a):
    client.force_login(staff_a)
    url = reverse("modules:evaluation_add_partnership", args=[partnership_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, EVALUATION)
    assert response.status_code == 302
    assert response.url == reverse("partnerships:partnership_detail", args=[partnership_a.pk])
    evaluation = Evaluation.objects.get()
    assert evaluation.partnership == partnership_a
    assert evaluation.module is None
    assert (evaluation.rating, evaluation.created_by) == (5, staff_a)


def test_staff_adds_evaluation_to_module(client, staff_a, partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    client.force_login(staff_a)
    url = reverse("modules:evaluation_add_module", kwargs={"module_pk": module.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {**EVALUATION, "source": "participants"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.module == module
    assert evaluation.partnership is None


@pytest.mark.parametrize("rating", ["0", "6", "abc", ""])
def test_rating_outside_1_to_5_is_refused(client, staff_a, partnership_a, rating):
    client.force_login(staff_a)
    url = reverse("modules:evaluation_add_partnership", args=[partnership_a.pk])
    response = client.post(url, {**EVALUATION, "rating": rating})
    assert response.status_code == 400
    assert "rating" in response.context["form"].errors
    assert not Evaluation.objects.exists()


def test_findings_are_required(client, staff_a, partnership_a):
    client.force_login(staff_a)
    url = reverse("modules:evaluation_add_partnership", args=[partnership_a.pk])
    response = client.post(url, {**EVALUATION, "findings": ""})
    assert response.status_code == 400
    assert "findings" in response.context["form"].errors


def test_service_refuses_evaluation_of_both_or_neither(partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    common = {"date": "2026-01-01", "source": "agency", "rating": 3, "findings": "x"}
    with pytest.raises(DomainError):
        add_evaluation(partnership=partnership_a, module=module, **common)
    with pytest.raises(DomainError):
        add_evaluation(**common)
    assert not Evaluation.objects.exists()


def test_evaluation_list_shows_own_office_and_filters(
    client, staff_a, partnership_a, partnership_b
):
    module = f.ModuleFactory(partnership=partnership_a, title="Module A")
    f.EvaluationFactory(partnership=partnership_a, findings="Akkoord A goed", source="agency")
    f.EvaluationFactory(
        partnership=None, module=module, findings="Module A goed", source="inspectorate"
    )
    f.EvaluationFactory(partnership=partnership_b, findings="Akkoord B geheim")
    client.force_login(staff_a)
    url = reverse("modules:evaluation_list")
    response = client.get(url)
    assert response.status_code == 200
    assert "Akkoord A goed" in response.text
    assert "Module A goed" in response.text
    assert "Akkoord B geheim" not in response.text
    by_source = client.get(url, {"source": "inspectorate"})
    assert "Module A goed" in by_source.text
    assert "Akkoord A goed" not in by_source.text
    by_module = client.get(url, {"module": str(module.pk)})
    assert "Module A goed" in by_module.text
    assert "Akkoord A goed" not in by_module.text
    by_partnership = client.get(url, {"partnership": str(partnership_a.pk)})
    assert "Akkoord A goed" in by_partnership.text
    assert client.get(url, {"module": "x", "partnership": "-4"}).status_code == 200


def test_evaluation_list_same_query_count_for_3_and_30_rows(client, staff_a, partnership_a):
    client.force_login(staff_a)
    url = reverse("modules:evaluation_list")
    counts = []
    for rows in (3, 27):
        for n in range(rows):
            if n % 2:
                f.EvaluationFactory(partnership=partnership_a)
            else:
                module = f.ModuleFactory(partnership=partnership_a)
                f.EvaluationFactory(partnership=None, module=module)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_staff_of_other_office_gets_404_when_adding(client, staff_b, partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    client.force_login(staff_b)
    for url in (
        reverse("modules:evaluation_add_partnership", args=[partnership_a.pk]),
        reverse("modules:evaluation_add_module", kwargs={"module_pk": module.pk}),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, EVALUATION).status_code == 404
    assert not Evaluation.objects.exists()


def test_caseworker_and_manager_get_403_on_evaluations(
    client, caseworker_a, manager_a, partnership_a
):
    for user in (caseworker_a, manager_a):
        client.force_login(user)
        assert client.get(reverse("modules:evaluation_list")).status_code == 403
        url = reverse("modules:evaluation_add_partnership", args=[partnership_a.pk])
        assert client.get(url).status_code == 403
