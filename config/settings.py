"""Fyren settings: one module, driven by environment variables.

See README.md ("Configuration") for every variable. Defaults are safe for the
demo on one machine; ``FYREN_PRODUCTION=1`` turns on the production checks and
refuses to start with DEBUG, the default secret key, no allowed hosts or the
demo e-ID.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from fyren.lib import signing_key
from fyren.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEFAULT_SECRET_KEY = "fyren-demo-secret-key-not-for-production"  # noqa: S105

PRODUCTION = env_bool("FYREN_PRODUCTION", False)
DEBUG = env_bool("FYREN_DEBUG", False)
DEMO = env_bool("FYREN_DEMO", False)
SECRET_KEY = env_str("FYREN_SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("FYREN_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("FYREN_DEBUG must be off")
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY or "") < 40:
        problems.append("FYREN_SECRET_KEY must be set to a random value of at least 40 characters")
    if not ALLOWED_HOSTS:
        problems.append("FYREN_ALLOWED_HOSTS must list the host names served")
    if DEMO:
        problems.append("FYREN_DEMO cannot be enabled in production mode")
    if problems:
        raise ImproperlyConfigured("Production mode refuses to start: " + "; ".join(problems) + ".")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "oauth2_provider",
    "fyren.lib",
    "fyren.organisations",
    "fyren.people",
    "fyren.accounts",
    "fyren.audit",
    "fyren.flags",
    "fyren.notifications",
    "fyren.scheduler",
    "fyren.care",
    "fyren.clinic",
    "fyren.instruments",
    "fyren.programs",
    "fyren.questionnaires",
    "fyren.interop",
    "fyren.messaging",
    "fyren.journal",
    "fyren.episodes",
    "fyren.careplans",
    "fyren.booking",
    "fyren.reporting",
    "fyren.research",
    "fyren.api",
    "fyren.home",
    "fyren.region",
    "fyren.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fyren.lib.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fyren.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fyren.lib.middleware.UnstorableInputMiddleware",
    "fyren.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "fyren.accounts.context_processors.fyren",
                "fyren.clinic.context_processors.unit_workspace",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Connections are kept and reused (checked before reuse): opening one per request
        # halved the requests a core could serve on PostgreSQL.
        conn_max_age=env_int("FYREN_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A read replica for reports and exports (fyren.lib.db_router): only the reads made
# inside ``replica_reads()`` go there; in tests it mirrors the default database.
if env_str("FYREN_DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("FYREN_DATABASE_REPLICA_URL", ""),
        conn_max_age=env_int("FYREN_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
DATABASE_ROUTERS = ["fyren.lib.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"

# Fyren as the OAuth 2.0 authorisation server of its own API (django-oauth-toolkit):
# authorisation code with PKCE for apps acting for a logged-in person, client
# credentials for record systems; short-lived access tokens; SMART-style scopes.
# The types the FHIR server serves (fyren/api/fhir_types.py); a scope per type and context.
FHIR_RESOURCE_TYPES = (
    "Patient",
    "Practitioner",
    "Organization",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
    "CarePlan",
    "Goal",
    "CareTeam",
    "EpisodeOfCare",
    "ServiceRequest",
    "Schedule",
    "Slot",
    "Appointment",
    "Communication",
    "DocumentReference",
    "Group",
)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # named so our models can refer to it
# OpenID Connect: ID tokens signed RS256 with a key Fyren manages (fyren/lib/signing_key.py).
OIDC_KEY_FILE = Path(env_str("FYREN_OIDC_KEY_FILE", str(BASE_DIR / "var" / "oidc" / signing_key.CURRENT)) or "")
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "fyren.api.oauth.FyrenOAuth2Validator",
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": env_str("FYREN_OIDC_PRIVATE_KEY") or signing_key.current(OIDC_KEY_FILE),
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": signing_key.retired(OIDC_KEY_FILE),
    "ID_TOKEN_EXPIRE_SECONDS": env_int("FYREN_API_TOKEN_SECONDS", 600, minimum=60),
    "SCOPES_BACKEND_CLASS": "fyren.api.oauth.FyrenScopes",  # what is granted: fyren/api/scopes.py
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("FYREN_API_TOKEN_SECONDS", 600, minimum=60),
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "SCOPES": {
        "openid": "OpenID Connect sign-in",
        "fhirUser": "Who the signed-in user is, as a FHIR resource",
        "profile": "The signed-in user's name",
        "launch/patient": "The patient in context",
        "offline_access": "A refresh token that lasts until revoked",
        "online_access": "A refresh token",
        "patient/AuditEvent.rs": "Who has read the patient's data",
        "user/Flag.rs": "The flags of the units the user works at",
        **{
            f"{context}/{resource}.rs": f"Read {resource} ({meaning})"
            for context, meaning in (
                ("patient", "the signed-in citizen's own"),
                ("user", "what the signed-in staff member may read"),
                ("system", "the care unit's, for a record system"),
            )
            for resource in (*FHIR_RESOURCE_TYPES, "*")
        },
    },
    "DEFAULT_SCOPES": ["patient/Appointment.rs"],
}
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sessions: staff end after 15 minutes idle (checked on every request) ---
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
FYREN_STAFF_IDLE_SECONDS = env_int("FYREN_STAFF_IDLE_SECONDS", 15 * 60, minimum=60)
FYREN_CITIZEN_IDLE_SECONDS = env_int("FYREN_CITIZEN_IDLE_SECONDS", 30 * 60, minimum=60)

# --- Failed-login throttling (django-axes) ---
AXES_FAILURE_LIMIT = env_int("FYREN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FYREN_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Lock per user name: staff often share one NAT address, so locking by address would lock out a whole clinic.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- Emergency access (nödåtkomst) ---
# How long after an enrolment ends the citizen's own work (answers, diaries, exercises) is kept.
FYREN_RETENTION_DAYS_AFTER_END = env_int("FYREN_RETENTION_DAYS_AFTER_END", 3650, minimum=1)
FYREN_PUBLIC_URL = env_str("FYREN_PUBLIC_URL", "http://127.0.0.1:8000")
# A record system's JWK Set address must be https; "true" allows http (a test or a closed network).
FYREN_JWKS_HTTP_ALLOWED = env_bool("FYREN_JWKS_HTTP_ALLOWED", False)
# Subscriptions (fyren/api/subscriptions.py): notifications go to https endpoints only, unless this
# allows http (the demo's receiver on this machine, tests); delivered events are kept this long for $events.
FYREN_SUBSCRIPTION_HTTP_ALLOWED = env_bool("FYREN_SUBSCRIPTION_HTTP_ALLOWED", DEMO)
# A record system that launches Fyren (SMART EHR launch) over plain http: only the demo's, on this machine.
FYREN_LAUNCH_HTTP_ALLOWED = env_bool("FYREN_LAUNCH_HTTP_ALLOWED", DEMO)
FYREN_SUBSCRIPTION_EVENT_DAYS = env_int("FYREN_SUBSCRIPTION_EVENT_DAYS", 30, minimum=1)
FYREN_SUBSCRIPTION_SENDING_TIMEOUT = env_int("FYREN_SUBSCRIPTION_SENDING_TIMEOUT", 300, minimum=1)  # seconds
FYREN_EMERGENCY_ACCESS_HOURS = env_int("FYREN_EMERGENCY_ACCESS_HOURS", 4, minimum=1)
# Video visits link to an external video service: {room} becomes a unique,
# unguessable room per visit. The link is shown only inside Fyren, from this
# many minutes before the start (also when the citizen may check in).
# Requests per API client (REST and FHIR together), e.g. "1200/min"; see docs/api.md.
FYREN_API_RATE = env_str("FYREN_API_RATE", "1200/min")
# Research exports' files are removed this many days after they are made.
FYREN_RESEARCH_EXPORT_DAYS = env_int("FYREN_RESEARCH_EXPORT_DAYS", 30, minimum=1)
# Bulk $export files are removed this many hours after they are ready.
FYREN_BULK_EXPORT_HOURS = env_int("FYREN_BULK_EXPORT_HOURS", 24, minimum=1)
FYREN_VIDEO_URL_TEMPLATE = env_str("FYREN_VIDEO_URL_TEMPLATE", "https://video.example.org/fyren/{room}")
FYREN_VIDEO_LINK_MINUTES_BEFORE = env_int("FYREN_VIDEO_LINK_MINUTES_BEFORE", 15, minimum=0)
# What one digital contact stands in for, in the analysts' benefit figures (a
# region states its own; the page lets an analyst try others).
FYREN_BENEFIT_ASSUMPTIONS = {
    "visit_share": 0.5,
    "km_per_visit": 20.0,
    "co2_kg_per_km": 0.12,
    "minutes_per_visit": 90.0,
    "sheets_per_contact": 2.0,
}
# An extra phrase file for urgent words in messages (same format as fyren/messaging/data/urgent_phrases.txt).
FYREN_URGENT_PHRASES_FILE = env_str("FYREN_URGENT_PHRASES_FILE", "")
FYREN_MAX_ATTACHMENTS = env_int("FYREN_MAX_ATTACHMENTS", 5, minimum=1)
# A journal export's default period when nothing was exported before.
FYREN_JOURNAL_DEFAULT_DAYS = env_int("FYREN_JOURNAL_DEFAULT_DAYS", 30, minimum=1)


# --- OpenID Connect: citizens (e-ID broker) and staff (SITHS IdP) ---
def _oidc(prefix: str) -> dict | None:
    client_id = env_str(f"FYREN_OIDC_{prefix}_CLIENT_ID")
    if not client_id:
        return None
    return {
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": env_str(f"FYREN_OIDC_{prefix}_CLIENT_SECRET", required=True),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": env_str(f"FYREN_OIDC_{prefix}_AUTHORIZATION_ENDPOINT", required=True),
        "OIDC_OP_TOKEN_ENDPOINT": env_str(f"FYREN_OIDC_{prefix}_TOKEN_ENDPOINT", required=True),
        "OIDC_OP_USER_ENDPOINT": env_str(f"FYREN_OIDC_{prefix}_USERINFO_ENDPOINT", required=True),
        "OIDC_OP_JWKS_ENDPOINT": env_str(f"FYREN_OIDC_{prefix}_JWKS_ENDPOINT", required=True),
        "OIDC_RP_SIGN_ALGO": env_str(f"FYREN_OIDC_{prefix}_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": env_str(f"FYREN_OIDC_{prefix}_SCOPES", "openid profile"),
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_VERIFY_SSL": env_bool(f"FYREN_OIDC_{prefix}_VERIFY_TLS", True),
        "OIDC_TIMEOUT": 10,
    }


FYREN_OIDC = {k: v for k, v in {"citizen": _oidc("CITIZEN"), "staff": _oidc("STAFF")}.items() if v}
FYREN_OIDC_STAFF_CLAIM = env_str("FYREN_OIDC_STAFF_CLAIM", "http://sambi.se/attributes/1/employeeHsaId")
if "citizen" in FYREN_OIDC:
    AUTHENTICATION_BACKENDS.append("fyren.people.oidc.CitizenOIDCBackend")
if "staff" in FYREN_OIDC:
    AUTHENTICATION_BACKENDS.append("fyren.accounts.oidc.StaffOIDCBackend")

# --- Internationalisation: Swedish first; every page in the languages people read (#19) ---
LANGUAGE_CODE = "sv"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("fi", _("Finnish")),  # a national minority language
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("uk", _("Ukrainian")),
]
# Django knows Arabic and Persian (right to left, in its LANGUAGES_BIDI) but not these two.
LANG_INFO.setdefault("so", {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"})
LANG_INFO.setdefault("ti", {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"})
LOCALE_PATHS = [BASE_DIR / "locale"]
# A program's texts may also be written in easy-to-read Swedish (lättläst), a
# language of its own for programs (not for Fyren's own pages).
FYREN_EASY_SWEDISH = "sv-x-lattlast"
FYREN_PROGRAM_LANGUAGES = [*LANGUAGES, (FYREN_EASY_SWEDISH, _("Easy-to-read Swedish"))]
LANG_INFO.setdefault(
    FYREN_EASY_SWEDISH,
    {"bidi": False, "code": FYREN_EASY_SWEDISH, "name": "Easy-to-read Swedish", "name_local": "Lättläst svenska"},
)
# Date and number formats for the languages Django has none for (Somali,
# Tigrinya; from the Unicode CLDR via Babel) and English dates in Sweden's form.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

MEDIA_ROOT = env_str("FYREN_MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
FYREN_MEDIA_MAX_BYTES = {
    "image": env_int("FYREN_MAX_IMAGE_MB", 5, minimum=1) * 2**20,
    "file": env_int("FYREN_MAX_FILE_MB", 10, minimum=1) * 2**20,
    "attachment": env_int("FYREN_MAX_ATTACHMENT_MB", 10, minimum=1) * 2**20,
    "audio": env_int("FYREN_MAX_AUDIO_MB", 50, minimum=1) * 2**20,
    "video": env_int("FYREN_MAX_VIDEO_MB", 200, minimum=1) * 2**20,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
# Files are received in chunks and stop at the largest size any kind may have (lib/uploads.py);
# files over FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, never whole into memory.
FYREN_MAX_UPLOAD_BYTES = max(FYREN_MEDIA_MAX_BYTES.values())
FILE_UPLOAD_HANDLERS = [
    "fyren.lib.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20
# An image's width × height, checked from its header before it is decoded (a 12,000 × 12,000
# image is refused; Pillow's own limit is about 179 megapixels).
FYREN_MAX_IMAGE_PIXELS = env_int("FYREN_MAX_IMAGE_MEGAPIXELS", 40, minimum=1) * 1_000_000

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Security headers ---
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *env_list("FYREN_CSP_FORM_ACTION")],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("FYREN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("FYREN_HSTS_SECONDS", 63072000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("FYREN_CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # FYREN_LOG_JSON=1: one JSON object a line (time, level, logger, message, request id), for log collectors.
    "formatters": {"json": {"()": "fyren.lib.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if env_bool("FYREN_LOG_JSON", False) else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("FYREN_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

EMAIL_BACKEND = env_str("FYREN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# For the file backend (one file per run of the worker): where the e-mails are written.
EMAIL_FILE_PATH = env_str("FYREN_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("FYREN_FROM_EMAIL", "Fyren <no-reply@fyren.invalid>")
FYREN_SMS_BACKEND = env_str("FYREN_SMS_BACKEND", "fyren.notifications.sms.ConsoleSmsBackend")
# Notice delivery (docs/decisions.md #41): a notice "being sent" for longer than this is taken to
# have lost its worker and is sent again; a queued notice without a worker for this long is re-queued.
FYREN_NOTIFY_SENDING_TIMEOUT = env_int("FYREN_NOTIFY_SENDING_TIMEOUT", 300, minimum=1)
FYREN_NOTIFY_QUEUED_TIMEOUT = env_int("FYREN_NOTIFY_QUEUED_TIMEOUT", 600, minimum=1)
# /health/ reports the worker and the scheduler as down when their heartbeat is older than this.
FYREN_HEARTBEAT_MAX_AGE = env_int("FYREN_HEARTBEAT_MAX_AGE", 300, minimum=30)

# Background work: the database backend by default (`manage.py db_worker`), RQ when scaling out.
TASKS = {"default": {"BACKEND": env_str("FYREN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Scaling out (docs/operations.md): with FYREN_REDIS_URL the cache (and with it the API's
# rate limits, shared by every app server), the sessions (read from Redis, kept in the
# database) and the task queue (RQ: `manage.py rqworker --job-class django_tasks_rq.Job
# default`) use Redis.
FYREN_REDIS_URL = env_str("FYREN_REDIS_URL", "")
if FYREN_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": FYREN_REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": FYREN_REDIS_URL, "DEFAULT_TIMEOUT": 900}}
    TASKS = {
        "default": {
            "BACKEND": env_str("FYREN_TASKS_BACKEND", "django_tasks_rq.RQBackend"),
            "QUEUES": ["default"],
        }
    }
