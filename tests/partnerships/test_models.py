"""Constraints and validators of the partnerships app: the database refuses what must
never be false, and the Belgian numbers are checked and stored in compact form."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from partnerships.models import Membership, Office, PartnerOrganisation, Partnership, PlanTarget
from partnerships.validators import (
    normalise_enterprise_number,
    validate_enterprise_number,
    validate_postal_code,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# --- enterprise numbers and postal codes -------------------------------------------------


def test_valid_enterprise_number_is_stored_compact():
    partner = f.PartnerOrganisationFactory(enterprise_number="0403.019.261")
    partner.full_clean()
    partner.save()
    partner.refresh_from_db()

    assert partner.enterprise_number == "0403019261"
    assert partner.enterprise_number_display == "0403.019.261"


def test_enterprise_number_typed_with_be_prefix_and_spaces_is_accepted():
    assert normalise_enterprise_number("BE 0403 019 261") == "0403019261"


def test_enterprise_number_with_wrong_checksum_is_refused_with_a_message_naming_the_field():
    partner = f.PartnerOrganisationFactory.build(enterprise_number="0403.019.262")

    with pytest.raises(ValidationError) as error:
        partner.full_clean()

    messages = error.value.message_dict["enterprise_number"]
    assert any("Enterprise number" in m or "Ondernemingsnummer" in m for m in messages)


def test_enterprise_number_validator_refuses_garbage():
    with pytest.raises(ValidationError):
        validate_enterprise_number("not a number")


def test_enterprise_number_is_unique():
    f.PartnerOrganisationFactory(enterprise_number="0403019261")
    _refused(lambda: f.PartnerOrganisationFactory(enterprise_number="0403019261"))


@pytest.mark.parametrize("code", ["1000", "2000", "9000", "9999"])
def test_belgian_postal_codes_are_accepted(code):
    validate_postal_code(code)


@pytest.mark.parametrize("code", ["0999", "999", "10000", "abcd", "", "2000A"])
def test_other_postal_codes_are_refused(code):
    with pytest.raises(ValidationError, match="(?i)postal code|postcode"):
        validate_postal_code(code)


def test_office_with_bad_postal_code_fails_full_clean():
    office = f.OfficeFactory.build(postal_code="123")
    with pytest.raises(ValidationError) as error:
        office.full_clean()
    assert "postal_code" in error.value.message_dict


# --- memberships: the scope fits the role ------------------------------------------------


@pytest.fixture
def scope(office_a, organisation_a):
    return {"office": office_a, "organisation": organisation_a}


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("staff", ()),  # staff need an office
        ("staff", ("organisation",)),  # ...not an organisation
        ("staff", ("office", "organisation")),  # ...not both
        ("caseworker", ()),  # caseworkers need an organisation
        ("caseworker", ("office",)),  # ...not an office
        ("caseworker", ("office", "organisation")),  # ...not both
        ("manager", ("organisation",)),  # managers never have an organisation
        ("manager", ("office", "organisation")),
        ("nobody", ("office",)),  # an unknown role fits nothing
    ],
)
def test_membership_scope_that_does_not_fit_the_role_is_refused(scope, role, links):
    user = f.UserFactory()
    values = {link: scope[link] for link in links}
    _refused(lambda: Membership.objects.create(user=user, role=role, **values))


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("staff", ("office",)),
        ("caseworker", ("organisation",)),
        ("manager", ()),
        ("manager", ("office",)),
    ],
)
def test_membership_scope_that_fits_the_role_is_accepted(scope, role, links):
    user = f.UserFactory()
    membership = Membership.objects.create(
        user=user, role=role, **{link: scope[link] for link in links}
    )
    membership.full_clean()
    assert membership.pk


def test_membership_scope_is_also_checked_by_full_clean(office_a, organisation_a):
    membership = Membership(
        user=f.UserFactory(), role="staff", office=office_a, organisation=organisation_a
    )
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_one_membership_per_user(office_a, office_b):
    user = f.UserFactory()
    Membership.objects.create(user=user, role="staff", office=office_a)
    _refused(lambda: Membership.objects.create(user=user, role="staff", office=office_b))


# --- partnerships and plan targets -------------------------------------------------------


def test_partnership_ending_before_it_starts_is_refused_by_the_database():
    _refused(
        lambda: f.PartnershipFactory(
            start_date=datetime.date(2024, 6, 1), end_date=datetime.date(2024, 5, 31)
        )
    )


def test_partnership_ending_before_it_starts_fails_clean_on_the_end_date():
    partnership = f.PartnershipFactory.build(
        start_date=datetime.date(2024, 6, 1), end_date=datetime.date(2024, 5, 31)
    )
    with pytest.raises(ValidationError) as error:
        partnership.clean()
    assert "end_date" in error.value.message_dict


def test_partnership_ending_on_its_start_day_is_accepted():
    partnership = f.PartnershipFactory(
        start_date=datetime.date(2024, 6, 1), end_date=datetime.date(2024, 6, 1)
    )
    assert partnership.pk


def test_one_plan_target_per_partnership_and_year(partnership_a):
    PlanTarget.objects.create(partnership=partnership_a, year=2024)
    _refused(lambda: PlanTarget.objects.create(partnership=partnership_a, year=2024))
    assert PlanTarget.objects.create(partnership=partnership_a, year=2025).pk


def test_plan_target_year_out_of_range_is_refused(partnership_a):
    _refused(lambda: PlanTarget.objects.create(partnership=partnership_a, year=1999))


def test_one_link_per_partner_and_partnership(partnership_a):
    from partnerships.models import PartnershipPartner

    # The factory already linked the lead partner.
    _refused(
        lambda: PartnershipPartner.objects.create(
            partnership=partnership_a, organisation=partnership_a.lead_partner
        )
    )


# --- protection: history never vanishes in a cascade -------------------------------------


def test_deleting_a_partner_with_partnerships_is_refused(partnership_a):
    partner = partnership_a.lead_partner
    with pytest.raises(ProtectedError):
        partner.delete()
    assert PartnerOrganisation.objects.filter(pk=partner.pk).exists()


def test_deleting_an_office_with_partnerships_is_refused(partnership_a):
    with pytest.raises(ProtectedError):
        partnership_a.office.delete()
    assert Office.objects.filter(pk=partnership_a.office_id).exists()


def test_deleting_a_partnership_with_modules_is_refused(partnership_a):
    f.ModuleFactory(partnership=partnership_a)
    with pytest.raises(ProtectedError):
        partnership_a.delete()
    assert Partnership.objects.filter(pk=partnership_a.pk).exists()


def test_partner_without_history_can_be_deleted():
    partner = f.PartnerOrganisationFactory()
    f.ContactPersonFactory(organisation=partner)
    partner.delete()
    assert not PartnerOrganisation.objects.filter(pk=partner.pk).exists()


def test_partnerships_keep_change_history(partnership_a):
    before = partnership_a.history.count()
    partnership_a.title = "Nieuwe titel"
    partnership_a.save()
    assert partnership_a.history.count() == before + 1
    assert partnership_a.history.first().title == "Nieuwe titel"
