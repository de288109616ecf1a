"""Partnerwerk settings, read from environment variables.

Every variable is parsed strictly: an unknown value is an error, not a silent
default. Without DATABASE_URL the app runs on a SQLite file under ``var/``.
"""

import datetime
import os
import re
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_DEV_SECRET_KEY = "dev-insecure-partnerwerk-key-do-not-use-in-production"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is missing, the development key or shorter than 32 "
        "characters. Set SECRET_KEY to a long random value, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS, e.g. partnerwerk.example.be.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "post_office",
    "partnerships",
    "twofactor",
    "modules",
    "api",
    "integratie",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "integratie.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "integratie.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "integratie.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "twofactor.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused (locked) login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "integratie.urls"
WSGI_APPLICATION = "integratie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "integratie.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL (or unset for SQLite).")
    # Per connection, whatever postgresql.conf says (docs/operations.md). work_mem: the
    # report's sorts and hashes stay in memory (the default report ~15 % faster than at
    # 4MB, by theme ~10 % slower: docs/performance.md); empty leaves the server's value.
    # jit off: JIT compiles any statement the planner costs above jit_above_cost, and it
    # overestimates the report's joins of grouped subqueries (one row per module each) by
    # orders of magnitude: compiling took 250-400 ms of a 60 ms statement.
    DB_WORK_MEM = os.environ.get("DB_WORK_MEM", "32MB").strip()
    if DB_WORK_MEM and not re.fullmatch(r"[1-9][0-9]*(kB|MB|GB)", DB_WORK_MEM):
        raise ImproperlyConfigured(
            f"DB_WORK_MEM must be a size such as 32MB (kB, MB or GB) or empty; got {DB_WORK_MEM!r}"
        )
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        filter(
            None,
            (
                _options.get("options", ""),
                "-c jit=off",
                f"-c work_mem={DB_WORK_MEM}" if DB_WORK_MEM else "",
            ),
        )
    )
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "partnerwerk.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
# Querysets read with .iterator() (a form's choices, on every list page's filter) use a
# plain cursor: a server-side one costs three statements (DECLARE, FETCH, CLOSE) for a
# dozen rows. Also what a connection pooler in transaction mode needs.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partnerships.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes), on /accounts/login/ and /admin/login/ alike: after 5 failed
# attempts for one username from one address, that pair is locked for 15 minutes. The
# AxesStandaloneBackend comes first, so a locked attempt is refused before the password
# hasher runs. Unlock: delete the attempt in the admin (Axes › Access attempts) or
# `manage.py axes_reset_username <name>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "partnerships.auth.MembershipBackend",  # ModelBackend, membership in the same query
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "integratie.middleware.client_ip_address"
# How many reverse proxies in front of the app add themselves to X-Forwarded-For: with 1
# (one nginx/Caddy), a lockout is per user and the client's address, not the proxy's.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")

# Two-factor authentication (django-otp: an authenticator app, TOTP, plus recovery codes).
# Required for administrators, staff and caseworkers when on; managers may opt in. On by
# default in production, off by default with DEBUG so the demo logs in with just `demo`.
MFA_REQUIRED = envbool("MFA_REQUIRED", "0" if DEBUG else "1")
OTP_TOTP_ISSUER = "Partnerwerk"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# Our own date and number formats per language (integratie/formats/<lang>/formats.py):
# Dutch 29-11-2026, English as in the UK 29/11/2026 (Django's "en" would be US 11/29/2026).
FORMAT_MODULE_PATH = ["integratie.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed by npm (package.json); never copied into the repo.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (signed agreements) live outside static and are never served directly:
# a view checks who may see them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Partnerwerk <noreply@partnerwerk.invalid>"
)
# Seconds before a slow SMTP server counts as failed (the mail stays queued for a retry).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "10")
# The app's mails are queued in the database (django-post-office) in the same transaction
# as the change that causes them; `manage.py send_queued_mail` (the `mailer` service in
# docker-compose.yml) sends them through EMAIL_BACKEND, retrying on failure.
POST_OFFICE = {
    "MAX_RETRIES": envint("MAIL_MAX_RETRIES", "8"),
    "RETRY_INTERVAL": datetime.timedelta(minutes=envint("MAIL_RETRY_MINUTES", "5")),
    "DEFAULT_PRIORITY": "medium",
    "LOG_LEVEL": 2,  # keep a log row for every attempt: the admin shows why a mail failed
    "MESSAGE_ID_ENABLED": True,
}
# Also hand a queued mail to EMAIL_BACKEND right after the commit: on with DEBUG, so that
# `make run` prints mail on the console at once; off in production, where the worker sends.
MAIL_SEND_ON_COMMIT = envbool("MAIL_SEND_ON_COMMIT", "1" if DEBUG else "0")

# django-filter's empty choice: "All" instead of "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/minute").strip()
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_THROTTLE_RATE must look like 600/minute (per second, minute, hour or day); "
        f"got {API_THROTTLE_RATE!r}"
    )

# The REST API under /api/v1/ (docs/api.md): personal tokens or the browser session, JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasApiRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partnerwerk API",
    "DESCRIPTION": (
        "Modules, sessions, clients, enrolments, partners, agreements and yearly counts of "
        "Partnerwerk, with the same access rules as the pages. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ModuleStatusEnum": "modules.models.Module.Status",
        "SessionStatusEnum": "modules.models.Session.Status",
        "EnrolmentStatusEnum": "modules.models.Enrolment.Status",
        "PartnershipStatusEnum": "partnerships.models.Partnership.Status",
        "LanguageEnum": "modules.models.Language",
    },
}
API_TOKEN_MAX_DAYS = 365

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
# Widgets rendered with Jinja2 (same markup, several times faster); see the module.
FORM_RENDERER = "integratie.forms_renderer.JinjaFirstRenderer"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "1")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Personal data never goes to logs: only warnings and errors, without request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": sys.stderr},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # django-post-office adds its own stream handler to a logger that has none, and the
    # record then reaches the root's too: the mail worker printed every line twice. With
    # a handler here it adds none; its INFO lines (a round's counts) reach the console once.
    "loggers": {"post_office": {"handlers": ["null"], "level": "INFO"}},
}

# The load benchmark (bench/README.md): SQL count and time, worker and peak RSS per request
# as response headers, and a trivial view (/bench/floor) to measure the framework's floor.
BENCH_STATS = envbool("BENCH_STATS", "0")
if BENCH_STATS:
    MIDDLEWARE.insert(0, "integratie.middleware.RequestStatsMiddleware")
