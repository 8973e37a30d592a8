"""Settings of the portal, all read from the environment in this one place.

Every variable is listed in README.md with its default. A value that cannot be parsed stops the
process at start-up with the variable's name, rather than running with a silent fallback.
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # everything the embedded default writes (SQLite, broker, private files)

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A boolean that refuses anything but a clear yes or no (django-environ reads typos as False)."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE - {''})}, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default=str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


# --- Core -----------------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

# Without debug nothing falls back to the embedded default (SQLite, file cache, filesystem broker):
# a production process missing one of these refuses to start, saying what to set.
REQUIRED_IN_PRODUCTION = {
    "DJANGO_SECRET_KEY": "at least 50 random characters, e.g. from "
                         "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`",
    "DJANGO_ALLOWED_HOSTS": "the comma-separated host names the portal answers to, e.g. portal.example.org",
    "DATABASE_URL": "the PostgreSQL database, e.g. postgres://portal:password@db.internal:5432/portal",
    "REDIS_URL": "the Redis server for the cache and the Celery broker, e.g. redis://redis.internal:6379/0",
}
if not DEBUG:
    for _name, _what in REQUIRED_IN_PRODUCTION.items():
        if not env.str(_name, default="").strip():
            raise ImproperlyConfigured(f"{_name} is required when DJANGO_DEBUG is off: set it to {_what} "
                                       "(or set DJANGO_DEBUG=true on a development machine)")

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or "insecure-development-key-only-used-with-DJANGO_DEBUG-on"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

# The address people reach the portal at; used for links in e-mails and certificates.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "portal",  # first, so that its templates (admin, allauth) win
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for our form renderer
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_countries",
    "csp",
    "django_guid",
    "django_prometheus",
    "aeo",
    "consultations",
    "training",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first: times the whole request
    "django_guid.middleware.guid_middleware",  # the request id, before anything logs
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.middleware.InvalidCharactersMiddleware",  # before anything reads the session or database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.UserLanguageMiddleware",  # a signed-in person's language, from their profile
    "portal.middleware.SessionActivityMiddleware",  # allauth's session list, without a write per page
    "portal.middleware.RequestContextMiddleware",
    "portal.middleware.CurrentOrganisationMiddleware",
    "portal.middleware.StaffMFAMiddleware",
    "portal.public_cache.PublicPageMiddleware",  # after everything that decides who the visitor is
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # last
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "portal.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE for <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]
# Forms render through our templates: error summary on top, errors next to each field.
FORM_RENDERER = "portal.forms.PortalFormRenderer"

# --- Database -------------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
# How connections are held depends on the process:
# - `runserver` opens a thread per request: a connection kept per thread would pile up, so none is kept;
# - gunicorn (gunicorn.conf.py sets DATABASE_POOL=true) shares a psycopg pool per process among its
#   threads; Django requires CONN_MAX_AGE = 0 with a pool;
# - Celery workers, beat and management commands keep one connection for DATABASE_CONN_MAX_AGE seconds
#   (Celery closes it between tasks once it is older), never a pool.
RUNSERVER = sys.argv[1:2] == ["runserver"]
DATABASE_POOL = env_bool("DATABASE_POOL", False) and not RUNSERVER
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASE_POOL:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 4, minimum=1),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),  # seconds a request waits for one
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = 0 if RUNSERVER else env_int("DATABASE_CONN_MAX_AGE", 60)
else:
    # SQLite (the embedded default): web and worker write to one file. Take the write lock when a
    # transaction begins and wait for it, rather than failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

# --- Redis: cache and broker ----------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is down, so rate limits degrade open (portal/cache.py).
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
else:
    # Embedded default for `make run`: a file cache shared by the processes, and kombu's
    # filesystem transport, which carries tasks to a separate worker process without Redis.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                    "LOCATION": str(VAR_DIR / "cache")},
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

# --- Celery: at-least-once delivery ---------------------------------------------------------------

CELERY_TASK_ACKS_LATE = True  # a task is acknowledged only after it ran…
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # …and goes back to the queue if its worker dies
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds one message at a time
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=1)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Unacknowledged messages of a worker killed outright come back after this many seconds.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
        "socket_connect_timeout": 3,
    }
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# E-mail has a queue of its own, for workers of its own: a slow or hung mail server then holds up
# no screening, certificate or periodic job (those run on the default queue, "celery").
CELERY_TASK_ROUTES = {
    "portal.tasks.deliver_notifications": {"queue": "mail"},
    "portal.tasks.deliver_notification_range": {"queue": "mail"},
    "portal.tasks.relay_notifications": {"queue": "mail"},
    # Webhooks too: a subscriber's slow or hung server is as far outside our hands as a mail server, and
    # must hold up neither e-mail nor screening and certificates.
    "portal.tasks.deliver_webhooks": {"queue": "webhooks"},
}
CELERY_TIMEZONE = "UTC"

# --- E-mail and notifications ---------------------------------------------------------------------

# EMAIL_URL gives backend, host, port, user, password and TLS: smtp+tls://user:pass@host:587, consolemail://,
# filemail:////var/mail (four slashes for an absolute folder). EMAIL_BACKEND, when set, replaces the backend.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email.pop("EMAIL_BACKEND"))
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Customs-Business Portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to the portal's team: the contact, privacy and accessibility pages give it.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="portal-support@customs.example")
# Each step of a conversation with the mail server waits at most this long: a hung server fails the send.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 6, minimum=1)
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 60, minimum=1)
# E-mails per delivery task, and the time a task keeps free before its soft limit: it starts no send
# later, so no send is cut off half-way (the server may have taken the message).
NOTIFICATION_BATCH_SIZE = env_int("NOTIFICATION_BATCH_SIZE", 10, minimum=1)
# More notifications than that at once (a fan-out to followers) go to tasks over ranges of this many ids,
# each sending until its time is up and handing on the rest of its range.
NOTIFICATION_RANGE_SIZE = env_int("NOTIFICATION_RANGE_SIZE", 2000, minimum=1)
# At most this many e-mails claimed, loaded and marked sent per query by a sender; one killed outright
# sends the e-mails of its batch again once their lease runs out (README, Notifications).
NOTIFICATION_CLAIM_BATCH = env_int("NOTIFICATION_CLAIM_BATCH", 200, minimum=1)
NOTIFICATION_SEND_ALLOWANCE = 3 * EMAIL_TIMEOUT
if CELERY_TASK_SOFT_TIME_LIMIT <= NOTIFICATION_SEND_ALLOWANCE:
    raise ImproperlyConfigured(f"CELERY_TASK_SOFT_TIME_LIMIT must be more than 3 × EMAIL_TIMEOUT "
                               f"({NOTIFICATION_SEND_ALLOWANCE} s), so that a delivery task can send an e-mail")
# A sender claims a notification for this long; its task is stopped by the hard time limit before then.
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", CELERY_TASK_TIME_LIMIT + 30,
                                     minimum=CELERY_TASK_TIME_LIMIT + 1)

# --- Webhooks -------------------------------------------------------------------------------------

# Plain http and private, loopback or link-local addresses are refused (SSRF) unless allowed here: for
# development and the tests' receivers on loopback, never in production.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", DEBUG)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10, minimum=1)  # seconds to connect, and to wait for the answer
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
WEBHOOK_RETRY_SECONDS = env.float("WEBHOOK_RETRY_SECONDS", default=30.0)  # then × 4 at each attempt, at most 6 hours
WEBHOOK_MAX_ENDPOINTS = env_int("WEBHOOK_MAX_ENDPOINTS", 10, minimum=1)
WEBHOOK_LEASE_SECONDS = CELERY_TASK_TIME_LIMIT + 30  # longer than a task can live: a live sender is never overtaken

# Partner administrations' change feed shows a change once it is this old: longer than any transaction
# that writes one takes to commit, so that a cursor never passes a change committed after it.
MRA_FEED_SETTLE_SECONDS = env_int("MRA_FEED_SETTLE_SECONDS", 30)

# --- Files ----------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded evidence and attachments: outside the web root, served only through permission checks.
    "private": {"BACKEND": "portal.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
PRIVATE_MEDIA_ROOT = env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
# Several web machines need one store of uploads: an S3-compatible bucket (AWS S3, MinIO, Ceph, …),
# through django-storages. Credentials come the usual boto3 way (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the machine's role). Objects get no ACL of their own: the bucket stays
# private and every download passes through a view that checks permission.
PRIVATE_STORAGE_BUCKET = env.str("PRIVATE_STORAGE_BUCKET", default="")
if PRIVATE_STORAGE_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "portal.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_STORAGE_BUCKET,
            "endpoint_url": env.str("PRIVATE_STORAGE_ENDPOINT_URL", default="") or None,  # None: AWS itself
            "region_name": env.str("PRIVATE_STORAGE_REGION", default="") or None,
            "location": env.str("PRIVATE_STORAGE_PREFIX", default=""),  # a folder inside a shared bucket
            "default_acl": None,  # no ACL header: the bucket's own (private); works with ACLs disabled too
            "file_overwrite": False,  # like the local folder: a second file of the same name gets a suffix
            "querystring_auth": True,  # an object URL, if ever made, is signed and short-lived
            "querystring_expire": 60,
        },
    }
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
AEO_EVIDENCE_TOTAL_BYTES = env_int("AEO_EVIDENCE_TOTAL_BYTES", 200 * 1024 * 1024, minimum=1)
# Decision notices: who issues them, how and by when to appeal, and whether they name the officers
# (by default only their roles). AEO_LEGAL_BASIS is JSON, {"grant": "...", "rejection": "...", ...}, replacing
# the default text (EU Union Customs Code references) for the kinds it names.
AEO_ISSUING_ADMINISTRATION = env.str("AEO_ISSUING_ADMINISTRATION", default="National Customs Administration")
AEO_APPEAL_DAYS = env_int("AEO_APPEAL_DAYS", 30, minimum=1)
AEO_APPEAL_HOW = env.str("AEO_APPEAL_HOW", default=(
    "Write to the appeals office of the customs administration, quoting the reference of this notice, with your "
    "grounds and any evidence. You may also bring the case before the competent court under national law."))
AEO_DECISION_NAMES_OFFICERS = env_bool("AEO_DECISION_NAMES_OFFICERS", False)
AEO_LEGAL_BASIS = env.json("AEO_LEGAL_BASIS", default={})
# Monitoring after the grant: a holder is re-assessed every AEO_REASSESSMENT_YEARS years, a holder whose
# risk band is high or very high after one year.
AEO_REASSESSMENT_YEARS = env_int("AEO_REASSESSMENT_YEARS", 3, minimum=1)

# --- Security -------------------------------------------------------------------------------------

SECURE_SSL = env_bool("DJANGO_SECURE_SSL", not DEBUG)
SECURE_SSL_REDIRECT = SECURE_SSL
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# How many proxies (load balancer, ingress) append to X-Forwarded-For before a request reaches us. The
# client's address is that many entries from the right, for rate limits, API throttles, sessions and
# the audit trail alike (portal.middleware.client_ip); with 0 the header is ignored, so a client
# cannot choose its own address. Set it to exactly the number of proxies: more lets clients forge it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # our adapter reads it through client_ip as well
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page of ours uses are off for us and anything we might embed; WebAuthn (the
# security keys of two-factor sign-in) stays on for our own pages.
PERMISSIONS_POLICY = {
    "accelerometer": [], "autoplay": [], "camera": [], "display-capture": [], "geolocation": [],
    "gyroscope": [], "magnetometer": [], "microphone": [], "midi": [], "payment": [], "usb": [],
    "browsing-topics": [], "publickey-credentials-create": ["self"], "publickey-credentials-get": ["self"],
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Accounts (django-allauth) --------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupForm"
ACCOUNT_FORMS = {"signup": "portal.account_forms.SignupForm", "login": "portal.account_forms.LoginForm",
                 "change_password": "portal.account_forms.ChangePasswordForm",
                 "reset_password": "portal.account_forms.ResetPasswordForm",
                 "reset_password_from_key": "portal.account_forms.ResetPasswordKeyForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Password reset answers alike whether or not an account exists, and e-mails an unknown address to
# say so (templates/account/email/unknown_account_*). Sign-up still says plainly that an address is
# taken (portal/account_forms.py); its rate limit keeps probing slow.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Customs-Business Portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_SSL else "http"
# Rate limits live in the cache (Redis in production, so every process shares them).
# Per client (ip: by TRUSTED_PROXY_COUNT) and per address (key). Over the limit, a 429 page.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/m/ip,60/h/ip",
    "reset_password": "5/m/ip,30/h/ip,3/h/key,6/d/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key,20/h/ip",  # the confirmation e-mail sent again
}
# Actions that e-mail other people or give them work, counted from the rows they create so that
# they hold while the cache is down (portal/ratelimits.py): at most N an hour (/h) and a day (/d).
_RATES = r"^\s*\d+/[hd](\s*,\s*\d+/[hd])*\s*$"


def env_rates(name: str, default: str) -> str:
    import re

    value = env.str(name, default=default)
    if not re.match(_RATES, value):
        raise ImproperlyConfigured(f"{name} must look like 10/h,30/d, not {value!r}")
    return value


INVITATION_RATES_PER_USER = env_rates("INVITATION_RATES_PER_USER", "10/h,30/d")
INVITATION_RATES_PER_ORGANISATION = env_rates("INVITATION_RATES_PER_ORGANISATION", "20/h,50/d")
INVITATION_RATES_UNVERIFIED = env_rates("INVITATION_RATES_UNVERIFIED", "5/d")  # not yet verified by customs
ADVISORY_QUESTION_RATES = env_rates("ADVISORY_QUESTION_RATES", "5/h,20/d")  # per person
COMMENT_REPORT_RATES = env_rates("COMMENT_REPORT_RATES", "10/h,30/d")  # per person
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "Customs-Business Portal"
# A code of the 30-second step before or after is accepted too (RFC 6238's one step of drift): a code typed
# as the step turns, or from a phone whose clock is a little off, is not refused. Each code works once.
MFA_TOTP_TOLERANCE = 1
USERSESSIONS_TRACK_ACTIVITY = True
# Sensitive staff actions (roles, decisions, outcomes, exports) ask to confirm the sign-in when it is older.
STAFF_REAUTHENTICATION_SECONDS = env_int("STAFF_REAUTHENTICATION_SECONDS", 15 * 60, minimum=60)

# --- API ------------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.base.PersonalTokenAuthentication",  # first: unauthenticated calls get 401 + WWW-Authenticate
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies; the routes that take files name the multipart parser themselves (and the schema says so).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.base.CreatedCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [  # DRF's, telling clients apart by TRUSTED_PROXY_COUNT
        "portal.api.throttles.AnonThrottle",
        "portal.api.throttles.UserThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
        "partner": env.str("API_THROTTLE_PARTNER", default="60/minute"),  # each call may ask for 500 numbers
    },
    # Services' errors become API answers here, once (400 with the pages' messages, 403 for who you are).
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "portal.api.errors.PortalAutoSchema",  # every operation documents its errors
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Customs-Business Portal API",
    "DESCRIPTION": "AEO applications, consultations and training, for traders' own software.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Deep links put a link inside each operation's button (axe-core: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # Request bodies get components of their own, so that uploads are binary parts in clients generated from
    # the schema (and read-only fields are not asked for).
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a field named "kind"; give each set of choices its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "portal.models.organisations.Organisation.Kind",
        "AuthorisationTypeEnum": "aeo.models.AuthorisationType",
    },
}

# --- Internationalisation -------------------------------------------------------------------------

LANGUAGE_CODE = "en"
# Each language named in itself, as the switcher shows them. Portuguese is European Portuguese, understood in Brazil.
LANGUAGES = [("en", "English"), ("pt", "Português"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the switcher's choice, for a year (the cookies page says so)
TIME_ZONE = "UTC"
USE_I18N = True
FORMAT_MODULE_PATH = ["portal.formats"]  # dates as "1 December 2026" (portal/formats/en/formats.py)
USE_TZ = True

# --- Pillars --------------------------------------------------------------------------------------

TRAINING_ADVISORY_REMINDER_DAYS = env_int("TRAINING_ADVISORY_REMINDER_DAYS", 10, minimum=1)
# At most this many comments per person in this many seconds.
CONSULTATION_COMMENT_RATE = (env_int("CONSULTATION_COMMENT_LIMIT", 5, minimum=1),
                             env_int("CONSULTATION_COMMENT_PERIOD_SECONDS", 60, minimum=1))

# --- Sessions and organisations -------------------------------------------------------------------

SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14, minimum=1)

# --- Public pages from the cache (portal/public_cache.py) ------------------------------------------

# Anonymous visitors' copies of these pages (URL name → the versions they show) are cached and carry an
# ETag. A model label's version is bumped by every save of that model; "consultation:{pk}" by the
# consultation services. Entries also name the release, so a deploy never serves pages of the last one.
PUBLIC_PAGES = {
    "home": [],
    "consultations:index": ["consultations"],
    "consultations:detail": ["consultation:{pk}"],
    "training:index": ["training.Course", "training.Centre"],
    "training:course": ["training.Course", "training.Module", "training.Lesson"],
    "aeo:holders": ["aeo.Authorisation", "portal.Organisation"],
}
PUBLIC_PAGE_SECONDS = env_int("PUBLIC_PAGE_SECONDS", 300, minimum=0)  # how long an entry stays in the cache
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 60, minimum=0)  # Cache-Control max-age for browsers
PUBLIC_PAGE_RELEASE = env.str("SENTRY_RELEASE", default="") or str(time.time_ns())  # else: per process start
HEADER_COUNTS_SECONDS = env_int("HEADER_COUNTS_SECONDS", 30, minimum=0)  # the signed-in header's unread count

# --- Observability --------------------------------------------------------------------------------

# The request id: from the load balancer's X-Request-ID header when it is a UUID (anything else could
# forge log lines), otherwise a new one; sent back in the response and passed to the Celery tasks the
# request enqueues (django-guid's Celery integration: before_task_publish / task_prerun).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration(sentry_integration=bool(SENTRY_DSN))],
}
# Prometheus scrapes /metrics with this bearer token; without it /metrics answers 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Load balancers and scrapers talk plain HTTP to each machine: no redirect to HTTPS for these.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
if SENTRY_DSN:
    from portal.observability import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"),
                release=env.str("SENTRY_RELEASE", default=""),
                traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0))

# JSON lines in production, one object a line, for the log collector; plain lines for people in debug.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-guid says at INFO each time it sets an id: noise.
        "django_guid": {"level": "WARNING"},
    },
}
