"""Issue 8, finding 9: 1.5 MB of partner notes was saved (and copied into the history).
Every free-text field has a maximum, enforced by the forms and by the database."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from partnerships.models import PartnerOrganisation
from tests import factories as f

FACTORIES = {
    "partnerships.PartnerOrganisation": f.PartnerOrganisationFactory,
    "partnerships.Partnership": f.PartnershipFactory,
    "modules.Module": f.ModuleFactory,
    "modules.OfferRequest": f.OfferRequestFactory,
    "modules.Evaluation": f.EvaluationFactory,
}
TEXT_FIELDS = [
    (model, field)
    for app in ("partnerships", "modules")
    for model in apps.get_app_config(app).get_models()
    if not model.__name__.startswith("Historical")
    for field in model._meta.get_fields()
    if isinstance(field, models.TextField)
]


def test_every_text_field_has_a_maximum_and_a_factory_here():
    assert TEXT_FIELDS
    assert [(m.__name__, fl.name) for m, fl in TEXT_FIELDS if not fl.max_length] == []
    assert {m._meta.label for m, _ in TEXT_FIELDS} <= set(FACTORIES)


@pytest.mark.parametrize(
    ("model", "field"), TEXT_FIELDS, ids=lambda x: getattr(x, "name", getattr(x, "__name__", ""))
)
def test_the_database_refuses_a_text_longer_than_its_maximum(db, model, field):
    obj = FACTORIES[model._meta.label]()
    rows = model.objects.filter(pk=obj.pk)

    rows.update(**{field.name: "x" * field.max_length})  # the maximum itself fits
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(**{field.name: "x" * (field.max_length + 1)})


def test_the_partner_form_refuses_a_megabyte_of_notes(client, staff_a):
    partner = f.PartnerOrganisationFactory(name="Notitiepartner")
    client.force_login(staff_a)
    url = reverse("partnerships:partner_update", args=[partner.pk])
    data = {
        "name": partner.name,
        "kind": partner.kind,
        "enterprise_number": partner.enterprise_number,
        "notes": "x" * 1_500_000,
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["notes"]
    partner.refresh_from_db()
    assert partner.notes == ""
    assert PartnerOrganisation.history.filter(id=partner.pk).count() == 1


def test_the_decline_and_cancel_forms_refuse_an_overlong_reason(client, staff_a, partnership_a):
    module = f.ModuleFactory(partnership=partnership_a)
    offer_request = f.OfferRequestFactory(office=partnership_a.office)
    client.force_login(staff_a)

    declined = client.post(
        reverse("modules:offer_request_decline", args=[offer_request.pk]),
        {"decline_reason": "x" * 5000},
    )
    cancelled = client.post(
        reverse("modules:module_cancel", args=[module.pk]), {"reason": "x" * 5000}
    )

    assert declined.status_code == 400
    offer_request.refresh_from_db()
    assert offer_request.status == "new"
    assert cancelled.status_code == 200 and cancelled.context["form"].errors["reason"]
    module.refresh_from_db()
    assert module.status != "cancelled"
