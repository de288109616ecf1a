"""Agreement form: partners in a searchable multi-select, and a prefilled plan row for every
year of the agreement's period, entered in one go."""

import datetime

import pytest
from django.urls import reverse

from partnerships.models import Partnership, PlanTarget
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(office_a, organisation_a):
    partnership = f.PartnershipFactory(
        office=office_a,
        lead_partner=organisation_a,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2028, 12, 31),
    )
    f.PlanTargetFactory(partnership=partnership, year=2026, planned_modules=3)
    return partnership


def _row_years(formset):
    return [
        form.instance.year if form.instance.pk else form.initial.get("year") for form in formset
    ]


def test_partners_are_a_searchable_multi_select(client, staff_a):
    client.force_login(staff_a)
    page = client.get(reverse("partnerships:partnership_create")).text
    assert 'name="partners"' in page and "data-choice-search" in page
    assert "tom-select" in page and "js/choice-search.js" in page
    assert "Ctrl" not in page


def test_edit_offers_a_prefilled_row_per_unplanned_year_of_the_period(client, staff_a, agreement):
    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partnership_update", args=[agreement.pk]))
    assert _row_years(response.context["targets"]) == [2026, 2025, 2027, 2028]
    assert 'value="2027"' in response.text


def test_new_agreement_offers_this_year_and_the_next_three(client, staff_a, today):
    client.force_login(staff_a)
    response = client.get(reverse("partnerships:partnership_create"))
    assert _row_years(response.context["targets"]) == [2026, 2027, 2028, 2029]


def test_several_years_saved_in_one_go_and_rows_left_at_zero_are_not(client, staff_a, agreement):
    client.force_login(staff_a)
    url = reverse("partnerships:partnership_update", args=[agreement.pk])
    formset = client.get(url).context["targets"]
    data = {
        "title": agreement.title,
        "lead_partner": str(agreement.lead_partner_id),
        "partners": [str(agreement.lead_partner_id)],
        "status": "active",
        "start_date": "2025-01-01",
        "end_date": "2028-12-31",
        "targets-TOTAL_FORMS": str(formset.total_form_count()),
        "targets-INITIAL_FORMS": str(formset.initial_form_count()),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset):
        prefix = f"targets-{index}"
        if form.instance.pk:
            data[f"{prefix}-id"] = str(form.instance.pk)
            data[f"{prefix}-partnership"] = str(agreement.pk)
        year = _row_years(formset)[index]
        data[f"{prefix}-year"] = str(year)
        planned = {2025: 2, 2026: 3, 2027: 5, 2028: 0}[year]
        data[f"{prefix}-planned_modules"] = str(planned)
        data[f"{prefix}-planned_sessions"] = "0"
        data[f"{prefix}-planned_participants"] = "0"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["targets"].errors
    saved = dict(
        PlanTarget.objects.filter(partnership=agreement).values_list("year", "planned_modules")
    )
    assert saved == {2025: 2, 2026: 3, 2027: 5}


def test_a_year_outside_the_period_is_still_refused_by_the_plan_year_rule(
    client, staff_a, agreement
):
    client.force_login(staff_a)
    url = reverse("partnerships:partnership_update", args=[agreement.pk])
    data = {
        "title": agreement.title,
        "lead_partner": str(agreement.lead_partner_id),
        "partners": [],
        "status": "active",
        "start_date": "2025-01-01",
        "end_date": "2028-12-31",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-year": "2031",
        "targets-0-planned_modules": "1",
        "targets-0-planned_sessions": "0",
        "targets-0-planned_participants": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "2031" in response.text
    assert not PlanTarget.objects.filter(year=2031).exists()
    assert Partnership.objects.get(pk=agreement.pk).partners.count() == 1
