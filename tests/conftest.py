"""Shared fixtures: two offices, two partner organisations and a user for every role.

`staff_a` and `caseworker_a` belong together (office A runs a partnership with
organisation A); `staff_b` and `caseworker_b` are the outsiders.
"""

import datetime
import os
import shutil
import zoneinfo

import factory.random
import pytest
import time_machine
from django.db import connection

from partnerships.models import Membership
from tests import factories as f

E2E_REQUIRED = os.environ.get("E2E_REQUIRED") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# CI runs the whole suite once more with the clock this many days ahead (.ci/run): a test
# that passes only around the day it was written fails there. Tests that need a fixed "today"
# pin it themselves with time-machine (the `time_machine` fixture or `time_machine.travel`).
CLOCK_SHIFT_DAYS = int(os.environ.get("TEST_CLOCK_SHIFT_DAYS", "0") or 0)


def pytest_configure(config):
    # The same fake names on every run: a failure caused by a name can be reproduced.
    factory.random.reseed_random("partnerwerk")
    if CLOCK_SHIFT_DAYS:
        shifted = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=CLOCK_SHIFT_DAYS)
        config._partnerwerk_clock = time_machine.travel(shifted, tick=True)
        config._partnerwerk_clock.start()


# "Today" for the tests that need a fixed one: the day issue 9 was written.
TODAY = datetime.date(2026, 11, 29)
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def today(time_machine) -> datetime.date:
    """Pin the clock to 29 November 2026, 10:00 in Brussels, and return that date."""
    time_machine.move_to(datetime.datetime(2026, 11, 29, 10, tzinfo=BRUSSELS), tick=False)
    return TODAY


def pytest_report_header(config):
    if CLOCK_SHIFT_DAYS:
        return f"clock shifted {CLOCK_SHIFT_DAYS} days ahead: today is {datetime.date.today()}"
    return None


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Two-step login is tested on purpose (tests/security/test_two_factor.py); elsewhere the
    # role fixtures log in with force_login, whatever DEBUG the environment sets.
    settings.MFA_REQUIRED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _user_with(role, username, **scope):
    # Fixed names, not Faker's: a random "Peeters" in the menu must not meet a test's search.
    user = f.UserFactory(username=username, first_name="Gebruiker", last_name=username.upper())
    f.MembershipFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def office_a(db):
    return f.OfficeFactory(name="Atlas Antwerpen (test)")


@pytest.fixture
def office_b(db):
    return f.OfficeFactory(name="IN-Gent (test)", region="oost_vlaanderen")


@pytest.fixture
def organisation_a(db):
    return f.PartnerOrganisationFactory(name="OCMW A")


@pytest.fixture
def organisation_b(db):
    return f.PartnerOrganisationFactory(name="OCMW B", municipality="Gent", postal_code="9000")


@pytest.fixture
def partnership_a(office_a, organisation_a):
    return f.PartnershipFactory(office=office_a, lead_partner=organisation_a)


@pytest.fixture
def partnership_b(office_b, organisation_b):
    return f.PartnershipFactory(office=office_b, lead_partner=organisation_b)


@pytest.fixture
def staff_a(office_a):
    return _user_with(Membership.Role.STAFF, "staff_a", office=office_a)


@pytest.fixture
def staff_b(office_b):
    return _user_with(Membership.Role.STAFF, "staff_b", office=office_b)


@pytest.fixture
def caseworker_a(organisation_a):
    return _user_with(
        Membership.Role.CASEWORKER, "caseworker_a", office=None, organisation=organisation_a
    )


@pytest.fixture
def caseworker_b(organisation_b):
    return _user_with(
        Membership.Role.CASEWORKER, "caseworker_b", office=None, organisation=organisation_b
    )


@pytest.fixture
def manager(db):
    return _user_with(Membership.Role.MANAGER, "manager", office=None)


@pytest.fixture
def manager_a(office_a):
    return _user_with(Membership.Role.MANAGER, "manager_a", office=office_a)


@pytest.fixture
def admin(db):
    return f.UserFactory(
        username="admin",
        first_name="Beheerder",
        last_name="ADMIN",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def is_postgres(db):
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the API's rate limits count in it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
