"""Settings for the labour-mobility service.

Everything that differs between a laptop and production comes from the environment.
Locally nothing is needed (SQLite, the django-q2 ORM broker, an in-process cache);
with DJANGO_ENV=production a missing secret or host list stops the process at start.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mobility.env import env_bool, env_int, env_list, env_str

# Kazakhstan moved to a single UTC+5 on 1 March 2024; old system tz files still say +06 for
# Almaty. Use only the tzdata package (a pinned dependency) so every machine agrees.
zoneinfo.reset_tzpath(to=[])

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = env_str("DJANGO_ENV", "local") == "production"

SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else "local-only-not-secret-" + "x" * 40)
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters in production"
    )
# Rotation: the previous keys, comma-separated, still accepted for sessions and signed links
# (docs/operations.md, "Rotating secrets").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "mobility.admin_site.MobilityAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The form widgets' templates, for the project's FORM_RENDERER (TemplatesSetting).
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "mobility.admin_site.AxesConfig",  # django-axes, named in the admin's language
    # Staff two-factor (mobility.accounts.twofactor): TOTP devices and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Only for its tables' history: recovery codes are `accounts.RecoveryCodeDevice` (hashed);
    # migration accounts.0006 moved the plain-text codes of this plug-in there.
    "django_otp.plugins.otp_static",
    "mobility.core",
    "mobility.accounts",
    "mobility.reference",
    "mobility.exchange",
    "mobility.cases",
    "mobility.api",
    "mobility.employer",
    "mobility.resettlement",
    "mobility.notifications",
    "matching",
    "migration",
]

MIDDLEWARE = [
    # First: every response carries its request id; under /api/ every error is a problem document.
    "mobility.core.request_id.RequestIdMiddleware",
    "mobility.api.middleware.ApiProblemMiddleware",
    # The database gone mid-request: 503 (problem document under /api/), not 500.
    "mobility.core.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mobility.accounts.middleware.IdleSessionMiddleware",
    # request.user.is_verified(): which second-factor device this session proved (django-otp);
    # then the one rule: staff reach nothing but enrolment, verification and sign-out without it.
    "django_otp.middleware.OTPMiddleware",
    "mobility.accounts.middleware.SecondFactorMiddleware",
    "mobility.accounts.middleware.RememberRoleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it answers a locked-out sign-in attempt with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mobility.urls"
WSGI_APPLICATION = "mobility.wsgi.application"
ASGI_APPLICATION = "mobility.asgi.application"

# Every form renders through the project's templates (templates/includes/field.html): see docs/ui.md.
FORM_RENDERER = "mobility.core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mobility.accounts.context_processors.roles",
                "mobility.notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Data stores ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the django-q2 worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Email uniqueness is a case-insensitive functional constraint (user_email_unique_ci), which
# the auth check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mobility",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-q2 on the ORM broker of whichever database is configured: it re-delivers a task whose
# worker died, while the Redis broker loses it, and tasks here move money and quota places.
Q_CLUSTER = {
    "name": "mobility",
    "orm": "default",
    "workers": env_int("Q_WORKERS", 2),
    # A task running longer than `timeout` is killed; one not acknowledged within `retry` (its
    # worker died) is handed out again, so retry must exceed timeout. Tests shorten both.
    "timeout": env_int("Q_TIMEOUT", 60),
    "retry": env_int("Q_RETRY", 120),
    "max_attempts": 5,
    "catch_up": False,
    "label": _("Tasks"),
}
if env_int("Q_RETRY", 120) <= env_int("Q_TIMEOUT", 60):
    raise ImproperlyConfigured("Q_RETRY must be larger than Q_TIMEOUT")

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and locks the identifier + address out for a while (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "mobility.accounts.backends.EmailOrIinBackend",
]
# Working days the centre has to verify a newly registered (or corrected) organisation.
ORGANISATION_VERIFICATION_DAYS = env_int("ORGANISATION_VERIFICATION_DAYS", 5)
# POSTs one address may send to the public forms that create accounts or send messages, per
# window (mobility.core.ratelimit; django-ratelimit's "count/period" format).
RATE_LIMITS = {
    "data_export": env_str("RATE_LIMIT_DATA_EXPORT", "5/h"),
    "sign_up": env_str("RATE_LIMIT_SIGN_UP", "10/h"),
    "password_reset": env_str("RATE_LIMIT_PASSWORD_RESET", "5/15m"),
    "activation": env_str("RATE_LIMIT_ACTIVATION", "10/15m"),
    # Codes typed on the second-factor pages (enrolment and verification), per address. Each
    # device also locks itself after a wrong code, for twice as long after each further one.
    "two_factor": env_str("RATE_LIMIT_TWO_FACTOR", "10/15m"),
}
RATELIMIT_USE_CACHE = "default"
# Retention of personal data (docs/personal-data.md): a person whose cases were all closed more
# than `closed_case_years` ago, with nothing in progress, is pseudonymised by the nightly task.
PERSONAL_DATA_RETENTION = {
    "closed_case_years": env_int("RETENTION_CLOSED_CASE_YEARS", 5),
    # Applications in these states keep the person's data whatever their cases say.
    "resettlement_in_progress": ("submitted", "forwarded", "checked", "included", "certified"),
    "foreign_in_progress": ("draft", "submitted", "pooled", "invited", "in_review", "approved"),
}
# Two-factor (mobility.accounts.twofactor). The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Enbek mobility")
# After a wrong code a device refuses every code for FACTOR × 2^(failures-1) seconds: 10 s after
# the first, 160 s after the fifth, 43 minutes after the tenth (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_THROTTLE_SECONDS", 10)
OTP_STATIC_THROTTLE_FACTOR = env_int("OTP_THROTTLE_SECONDS", 10)
# How many single-use recovery codes enrolment (and regeneration) hands out.
TWO_FACTOR_RECOVERY_CODES = env_int("TWO_FACTOR_RECOVERY_CODES", 10)
# A personal API token of staff (who need a second factor) lives this many days at most.
STAFF_TOKEN_DAYS = env_int("STAFF_TOKEN_DAYS", 30)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "mobility.accounts.security.client_ip"
AXES_USERNAME_CALLABLE = "mobility.accounts.security.login_key"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time --------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# Our own strings first, then our completion of Django's incomplete Kazakh catalogue.
LOCALE_PATHS = [BASE_DIR / "mobility" / "locale", BASE_DIR / "mobility" / "locale_overrides"]
FORMAT_MODULE_PATH = ["mobility.formats"]
LANGUAGE_COOKIE_NAME = "mobility_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "mobility" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# --- Uploaded documents (mobility/core/documents) -------------------------------------------
# Identity scans, status documents, CVs. Kept through the "documents" storage, outside the web
# root, and served only by the permission-checked view /documents/<uuid>/.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# A DOCX may unpack to at most this much (a ZIP bomb stops here).
DOCUMENT_MAX_UNPACKED_BYTES = env_int("DOCUMENT_MAX_UNPACKED_BYTES", 10 * DOCUMENT_MAX_BYTES)
# An accepted upload is read whole to check it, so keep uploads up to the limit in memory:
# identity scans then never land in the server's temporary folder. Larger ones are refused.
FILE_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES
# The other fields of a form (not its files) and any other request body, such as the API's JSON,
# stay at Django's 2.5 MB unless configured; the API answers 413 beyond it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BODY_BYTES", 2_621_440)
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "documents"))).resolve()
DOCUMENTS_STORAGE = env_str("DOCUMENTS_STORAGE", "filesystem")
if DOCUMENTS_STORAGE == "filesystem":
    for public in (MEDIA_ROOT.resolve(), STATIC_ROOT.resolve(), *(d.resolve() for d in STATICFILES_DIRS)):
        if DOCUMENTS_ROOT == public or public in DOCUMENTS_ROOT.parents:
            raise ImproperlyConfigured(f"DOCUMENTS_ROOT must not be inside a public folder ({public})")
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # base_url points nowhere public: documents have no URL but the checked view.
        "OPTIONS": {
            "location": str(DOCUMENTS_ROOT),
            "base_url": "/documents/",
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
elif DOCUMENTS_STORAGE == "s3":
    # An S3-compatible store (django-storages; `pip install '.[s3]'`). Credentials come from
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role), read by boto3 itself.
    DOCUMENTS_S3_BUCKET = env_str("DOCUMENTS_S3_BUCKET")
    if not DOCUMENTS_S3_BUCKET:
        raise ImproperlyConfigured("DOCUMENTS_S3_BUCKET is required when DOCUMENTS_STORAGE=s3")
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": env_str("DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("DOCUMENTS_S3_REGION") or None,
            "location": env_str("DOCUMENTS_S3_PREFIX", "documents"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    raise ImproperlyConfigured("DOCUMENTS_STORAGE must be filesystem or s3")

# --- REST API ------------------------------------------------------------------------------
# How many reverse proxies of ours stand in front and append to X-Forwarded-For. 0: the client
# address is REMOTE_ADDR and X-Forwarded-For is ignored (anyone can write it); behind one proxy,
# 1: the address that proxy appended. Sign-in lockouts and the API's anonymous rate use it.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be 0 or more")
REST_FRAMEWORK = {
    # Partner systems and people's tokens: `Authorization: Bearer …`; the site's pages: the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mobility.api.authentication.BearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "mobility.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON nested at most 32 levels; bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE (413 beyond).
    "DEFAULT_PARSER_CLASSES": ["mobility.api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["mobility.api.throttling.ClientRateThrottle"],
    # anon: per address; user: per person; keys use their own `rate_per_minute`.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_RATE_ANON", "120/minute"),
        "user": env_str("API_RATE_USER", "600/minute"),
    },
    # Anonymous callers are counted by address: see NUM_PROXIES above.
    "NUM_PROXIES": NUM_PROXIES,
    "EXCEPTION_HANDLER": "mobility.api.exceptions.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "mobility.api.pagination.Cursor",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Labour exchange API",
    "DESCRIPTION": (
        "The labour exchange of Kazakhstan's labour-mobility centres: vacancies, organisations, "
        "seekers, registrations, applications and the matcher's rankings. Errors are "
        "application/problem+json (RFC 9457). Guide: docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["mobility.api.base.expand_routes"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mobility.api.schema.add_problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "VacancyStatusEnum": "mobility.exchange.models.Vacancy.Status",
        "ApplicationStatusEnum": "mobility.exchange.models.ApplicationStatus",
        "RegistrationStatusEnum": "mobility.exchange.models.Registration.Status",
        "OrganisationStatusEnum": "mobility.accounts.models.Organisation.Status",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request (mobility.accounts.middleware): 30 minutes for
# centre staff and administrators, 14 days for everyone else (ASVS 3.3.2: idle timeouts by risk).
SESSION_IDLE_STAFF_SECONDS = env_int("SESSION_IDLE_STAFF_MINUTES", 30) * 60
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_DAYS", 14) * 24 * 3600
# The mobile group's offline queue: an entry (with the IIN typed in) not sent within this many
# hours is deleted from the device (static/js/mobile.js).
MOBILE_OFFLINE_MAX_AGE_HOURS = env_int("MOBILE_OFFLINE_MAX_AGE_HOURS", 72)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The Django admin sets a few inline style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@mobility.example.kz")
# For mobility.notifications.channels.KeyedFileEmailBackend (one file per message key).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# --- Notifications (mobility/notifications) -------------------------------------------------
# Absolute links in messages (withdrawal, inbox, offers) start with this.
SITE_URL = env_str("SITE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000")
# The SMS gateway: a class with send(*, to, text, key). Locally the console (or
# mobility.notifications.channels.FileSmsBackend); in production the provider's adapter, and
# until one is configured every SMS fails visibly on the background-work page.
SMS_BACKEND = env_str(
    "SMS_BACKEND",
    "mobility.notifications.channels.UnconfiguredSmsBackend"
    if PRODUCTION
    else "mobility.notifications.channels.ConsoleSmsBackend",
)
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.jsonl"))
# Shared with the gateway: it signs inbound replies (STOP) with HMAC-SHA256.
SMS_WEBHOOK_SECRET = env_str("SMS_WEBHOOK_SECRET", "" if PRODUCTION else "local-sms-secret")

# The matcher's index artifact (built by a django-q2 task, loaded by every web worker).
# Readiness (/readyz, mobility/core/health.py): a django-q2 schedule overdue by more than this
# means no worker is running; a matcher index artifact older than this is stale (nightly build).
HEALTH_WORKER_STALE_MINUTES = env_int("HEALTH_WORKER_STALE_MINUTES", 10)
HEALTH_INDEX_MAX_AGE_HOURS = env_int("HEALTH_INDEX_MAX_AGE_HOURS", 26)
MATCHING_INDEX_DIR = Path(env_str("MATCHING_INDEX_DIR", str(BASE_DIR / "var" / "matching")))
# Processes that encode a whole-index build (encoding is nine tenths of it). More than one needs
# a process allowed to fork: `manage.py rebuild_index`; a django-q2 worker is daemonic and
# encodes in itself (docs/operations.md, "The matcher's index").
MATCHING_BUILD_WORKERS = env_int("MATCHING_BUILD_WORKERS", 1)

# Logs on stderr; every line carries the request id (mobility.core.logs). JSON lines by default
# in production (LOG_FORMAT=json), readable text locally (LOG_FORMAT=text).
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mobility.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "mobility.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
