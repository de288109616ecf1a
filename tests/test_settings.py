"""Settings refuse an insecure or ambiguous production start (run in a fresh interpreter)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 50
CODE = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'integratie.settings'); "
    "django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
)


def _run(code: str, *, unset: set[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter: settings loaded from scratch with `env`, without the
    test run's own values of `unset`."""
    clean = {k: v for k, v in os.environ.items() if k not in unset | {"DJANGO_SETTINGS_MODULE"}}
    clean.update(env)
    command = [sys.executable, "-c", code]
    return subprocess.run(command, env=clean, cwd=ROOT, capture_output=True, text=True, timeout=60)


def _start(**env: str) -> subprocess.CompletedProcess:
    return _run(
        CODE,
        unset={"DEBUG", "SECRET_KEY"},
        env={"ALLOWED_HOSTS": "partnerwerk.example.be", **env},
    )


def test_production_without_secret_key_refuses_to_start():
    result = _start(DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_with_the_development_key_refuses_to_start():
    from integratie import settings

    result = _start(DEBUG="0", SECRET_KEY=settings._DEV_SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_with_a_short_key_refuses_to_start():
    result = _start(DEBUG="0", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = _start(DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "ja"])
def test_unknown_debug_value_is_an_error_not_a_default(value):
    result = _start(DEBUG=value, SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG" in result.stderr


def test_non_postgres_database_url_is_refused():
    result = _start(DEBUG="1", DATABASE_URL="mysql://u:p@localhost/x")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_with_a_real_key_starts():
    result = _start(DEBUG="0", SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


@pytest.mark.parametrize(("value", "expected"), [("1", "True"), ("off", "False")])
def test_debug_accepts_the_usual_spellings(value, expected):
    result = _start(DEBUG=value, SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert f"DEBUG {expected}" in result.stdout


MFA_CODE = CODE.replace("print('DEBUG', settings.DEBUG)", "print('MFA', settings.MFA_REQUIRED)")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "0"}, "True"),
        ({"DEBUG": "1"}, "False"),
        ({"DEBUG": "0", "MFA_REQUIRED": "0"}, "False"),
        ({"DEBUG": "1", "MFA_REQUIRED": "1"}, "True"),
    ],
)
def test_two_step_login_is_required_by_default_in_production_only(env, expected):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "MFA_REQUIRED"}
    }
    clean.update({"ALLOWED_HOSTS": "partnerwerk.example.be", "SECRET_KEY": GOOD_KEY, **env})
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", MFA_CODE],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"MFA {expected}" in result.stdout


def test_check_deploy_with_the_readmes_production_settings_warns_only_of_the_proxys_job():
    """HSTS (W004) and the HTTP→HTTPS redirect (W008) are the TLS proxy's job
    (docs/operations.md); anything else `check --deploy` finds is a failure."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "MFA_REQUIRED"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.update(
        {
            "DEBUG": "0",
            # As the README makes it: python -c 'import secrets; print(secrets.token_urlsafe(50))'
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "partnerwerk.example.be",
            "CSRF_TRUSTED_ORIGINS": "https://partnerwerk.example.be",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    found = set(re.findall(r"\(([a-z_]+\.[EW]\d+)\)", output))
    assert found == {"security.W004", "security.W008"}, output


OPTIONS_CODE = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'integratie.settings'); "
    "django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['OPTIONS'].get('options'))"
)


def _database_options(**env: str) -> subprocess.CompletedProcess:
    return _run(
        OPTIONS_CODE,
        unset={"DB_WORK_MEM"},
        env={"DATABASE_URL": "postgres://u:p@localhost:5432/x", **env},
    )


def test_postgres_connections_set_work_mem_and_turn_jit_off():
    assert _database_options().stdout.strip() == "-c jit=off -c work_mem=32MB"
    assert _database_options(DB_WORK_MEM="64MB").stdout.strip() == "-c jit=off -c work_mem=64MB"
    # Empty: the server's own work_mem.
    assert _database_options(DB_WORK_MEM="").stdout.strip() == "-c jit=off"


@pytest.mark.parametrize("value", ["32", "32 MB", "0MB", "32MB -c statement_timeout=0"])
def test_a_work_mem_that_is_not_a_size_is_refused(value):
    result = _database_options(DB_WORK_MEM=value)
    assert result.returncode != 0
    assert "DB_WORK_MEM" in result.stderr
