"""mamoru's settings: one module, read from ``MAMORU_*`` environment variables.

Defaults are for the embedded set-up (``make run``: SQLite, database task queue).
``MAMORU_ENV=production`` switches every security default on, and refuses to start
without real keys: the secret key, the audit key (or the secret key) and the keys that
encrypt authenticator seeds — never a development value, never a short one. Nothing is
computed after this module.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("MAMORU_DATA_DIR", Path.cwd() / "var")).resolve()


def env_str(name: str, default: str = "") -> str:
    """A setting from ``MAMORU_<name>``, or from the file named by ``MAMORU_<name>_FILE``."""
    file_name = os.environ.get(f"MAMORU_{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(f"MAMORU_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name, "")
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"MAMORU_{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name, "")
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def database_from_url(url: str) -> dict[str, object]:
    """Django's DATABASES entry for ``sqlite:///path`` or ``postgres://user:pw@host:port/name``."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        # sqlite:////abs/path is absolute, sqlite:///rel/path relative, sqlite:// in memory.
        name = unquote(parts.path)[1:] or ":memory:"
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # IMMEDIATE avoids "database is locked" when a read transaction upgrades to a write;
            # WAL lets the web server read while the worker writes.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ValueError(f"MAMORU_DATABASE_URL: unsupported scheme {parts.scheme!r}")


# The keys of the local demo: public (they are in this file), so production refuses them.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-do-not-use-in-production-" + "x" * 20
# A key shorter than this is refused in production: 32 random characters carry far more
# than the 128 bits an HMAC key needs, and a short one is a password someone chose.
MIN_PRODUCTION_KEY_LENGTH = 32


def production_key(name: str, value: str) -> str:
    """``value`` if it can key production (set, not a development key, long enough);
    otherwise the platform refuses to start, naming the setting."""
    if not value:
        raise RuntimeError(f"MAMORU_{name} (or MAMORU_{name}_FILE) is required in production")
    if value == DEVELOPMENT_SECRET_KEY:
        raise RuntimeError(f"MAMORU_{name} is the public development key: set a real one")
    if len(value) < MIN_PRODUCTION_KEY_LENGTH:
        raise RuntimeError(
            f"MAMORU_{name} is shorter than {MIN_PRODUCTION_KEY_LENGTH} characters: "
            "use a long random value (e.g. `openssl rand -base64 48`)"
        )
    return value


def fernet_keys(name: str, values: list[str]) -> list[str]:
    """``values`` if each is a Fernet key (32 bytes in URL-safe base64), else a refusal."""
    for position, value in enumerate(values, start=1):
        try:
            raw = base64.urlsafe_b64decode(value.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raw = b""
        if len(raw) != 32:
            raise RuntimeError(
                f"MAMORU_{name}: key {position} is not a Fernet key (32 bytes in URL-safe "
                "base64; make one with `mamoru accounts new-otp-key`)"
            )
    return values


def development_fernet_key(secret_key: str) -> str:
    """A Fernet key derived from the (development) secret key, for the local demo only."""
    digest = hashlib.sha256(b"mamoru otp seed encryption\n" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


ENV = env_str("ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = env_bool("DEBUG", default=False)

# Settings that fell back to a development value (the demo says so when it starts).
DEVELOPMENT_KEYS: list[str] = []

SECRET_KEY = env_str("SECRET_KEY", "")
if PRODUCTION:
    SECRET_KEY = production_key("SECRET_KEY", SECRET_KEY)
elif not SECRET_KEY:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    DEVELOPMENT_KEYS.append("MAMORU_SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    # django-otp's own TOTP plugin is not installed: it stores seeds in plain form; the
    # authenticators are mamoru.accounts.models.TotpDevice (seeds encrypted at rest).
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "mamoru.core",
    "mamoru.accounts",
    "mamoru.orgs",
    "mamoru.audit",
    "mamoru.web",
    "mamoru.api",
    "mamoru.asm",
    "mamoru.vulns",
    "mamoru.incidents",
    "mamoru.assessments",
    "mamoru.progress",
    "mamoru.advisories",
    "mamoru.seccloud",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after WhiteNoise (static files keep their caching), outside everything else so
    # it sees every answer, error pages included: no-store for signed-in people and tokens.
    "mamoru.core.middleware.PrivateResponsesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mamoru.audit.context.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mamoru.accounts.middleware.MfaRequiredMiddleware",
    "mamoru.orgs.middleware.ActingOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mamoru.urls"
WSGI_APPLICATION = "mamoru.wsgi.application"
ASGI_APPLICATION = "mamoru.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "mamoru.orgs.context_processors.acting_organisation",
                "mamoru.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'mamoru.sqlite3'}")
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout after repeated failures, per user name and address together, so an attacker
# cannot lock every account from one address nor spray one account from many.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]

# Multi-factor authentication: always for administrators and for national and
# prefectural users; for everyone when this is true.
MFA_REQUIRED_FOR_ALL = env_bool("MFA_REQUIRED_FOR_ALL", default=False)
# Only the local demo (`make run`) turns enforcement off, so that every demo login reaches
# its home page at once; production refuses to start that way.
MFA_ENFORCED = env_bool("MFA_ENFORCED", default=True)
if PRODUCTION and not MFA_ENFORCED:
    raise RuntimeError("MAMORU_MFA_ENFORCED=false is not allowed in production")
OTP_TOTP_ISSUER = "mamoru"
# Who must use a second factor is an access rule of the organisations app (the accounts
# app below it asks through this path instead of importing it).
MFA_REQUIRED_POLICY = "mamoru.orgs.selectors.mfa_required_for"

SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# Background work: the database queue by default; RQ on Redis to scale out.
TASK_BACKEND = env_str("TASK_BACKEND", "database")
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASK_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def env_feeds(name: str) -> dict[str, str]:
    """``source=url`` pairs, comma-separated (``kev=https://…,epss=https://…``)."""
    feeds = {}
    for item in env_list(name, []):
        source, sep, url = item.partition("=")
        if not sep or not source.strip() or not url.strip().startswith(("https://", "http://")):
            raise ValueError(f"MAMORU_{name}: expected source=http(s)://url, not {item!r}")
        feeds[source.strip()] = url.strip()
    return feeds


# Periodic work (mamoru.core.scheduler): how often workers (database backend) or the RQ
# cron scheduler tick, and the feeds imported daily by URL — none by default, because
# LGWAN has no internet (import files with `mamoru vulns import` instead).
MAMORU_SCHEDULER_TICK_SECONDS = env_int("SCHEDULER_TICK_SECONDS", 60)
MAMORU_FEEDS = env_feeds("FEEDS")

# The security cloud (mamoru.seccloud): the engine's store (Parquet events, rollups, raw
# archive, quarantine) and the syslog receiver's spool live under the data root; DuckDB is
# capped at the memory limit and thread count, and spills to the temporary directory.
MAMORU_SECCLOUD_DATA_ROOT = Path(env_str("SECCLOUD_DATA_ROOT", str(DATA_DIR / "seccloud")))
MAMORU_SECCLOUD_MEMORY_LIMIT = env_str("SECCLOUD_MEMORY_LIMIT", "2GB")
MAMORU_SECCLOUD_THREADS = env_int("SECCLOUD_THREADS", 2)
MAMORU_SECCLOUD_TEMP_DIRECTORY = Path(
    env_str("SECCLOUD_TEMP_DIRECTORY", str(DATA_DIR / "seccloud-spill"))
)
# The largest log file the ingest page accepts (bytes); larger files go straight into
# the drop folder (<data root>/spool/pref=XX/drop/).
MAMORU_SECCLOUD_UPLOAD_MAX_BYTES = env_int("SECCLOUD_UPLOAD_MAX_BYTES", 2 * 1024**3)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mamoru <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The audit chain is keyed: whoever can write the database but not read this key cannot
# forge a chain that verifies. Defaults to the secret key (then rotating the secret key
# makes the existing chain unverifiable: set a key of its own in production).
AUDIT_KEY = env_str("AUDIT_KEY", "") or SECRET_KEY
if PRODUCTION:
    AUDIT_KEY = production_key("AUDIT_KEY", AUDIT_KEY)
if AUDIT_KEY == DEVELOPMENT_SECRET_KEY:
    DEVELOPMENT_KEYS.append("MAMORU_AUDIT_KEY")
# Signed checkpoints of the audit chain (count and head digest, HMAC with AUDIT_KEY) are
# appended to this file by the scheduler, and always written to the log: keep either
# somewhere the database's administrators cannot rewrite. `mamoru audit verify
# --checkpoint FILE` then detects a chain shortened or rewritten behind a checkpoint.
AUDIT_CHECKPOINT_FILE = env_str("AUDIT_CHECKPOINT_FILE", "")
AUDIT_CHECKPOINT_MINUTES = env_int("AUDIT_CHECKPOINT_MINUTES", 60)

# Authenticator (TOTP) seeds are encrypted at rest with Fernet (mamoru.accounts.seeds).
# Comma-separated: the first key encrypts, every key decrypts, so a new key is put first
# and the old one removed after `mamoru accounts rotate-otp-key` (README: "Rotating
# keys"). Development derives one from the secret key; production requires real ones.
OTP_ENCRYPTION_KEYS = env_list("OTP_ENCRYPTION_KEYS", [])
if not OTP_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise RuntimeError(
            "MAMORU_OTP_ENCRYPTION_KEYS (or MAMORU_OTP_ENCRYPTION_KEYS_FILE) is required in "
            "production (make one with `mamoru accounts new-otp-key`)"
        )
    OTP_ENCRYPTION_KEYS = [development_fernet_key(SECRET_KEY)]
    DEVELOPMENT_KEYS.append("MAMORU_OTP_ENCRYPTION_KEYS")
OTP_ENCRYPTION_KEYS = fernet_keys("OTP_ENCRYPTION_KEYS", OTP_ENCRYPTION_KEYS)
if PRODUCTION and development_fernet_key(DEVELOPMENT_SECRET_KEY) in OTP_ENCRYPTION_KEYS:
    raise RuntimeError("MAMORU_OTP_ENCRYPTION_KEYS holds the public development key")
# Reverse proxies in front of the platform: only then is X-Forwarded-For believed.
MAMORU_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = MAMORU_TRUSTED_PROXY_COUNT or None

# Scanning: private, loopback and reserved ranges are refused unless explicitly allowed.
SCAN_ALLOW_PRIVATE = env_bool("SCAN_ALLOW_PRIVATE", default=False)

# The platform's scans (mamoru.asm): the default ports ("" = only each asset's own ports),
# the limits of one scan and of every scan together (each running job gets
# min(ASM_SCAN_RATE, ASM_GLOBAL_RATE / ASM_MAX_RUNNING_JOBS) probes per second), how a
# scan is cut into jobs, and when a silent worker's job is taken back.
ASM_SCAN_PORTS = env_str("ASM_SCAN_PORTS", "top1000")
ASM_SCAN_RATE = env_int("ASM_SCAN_RATE", 500)
ASM_SCAN_CONCURRENCY = env_int("ASM_SCAN_CONCURRENCY", 200)
ASM_SCAN_TIMEOUT = float(env_str("ASM_SCAN_TIMEOUT", "1.0"))
ASM_GLOBAL_RATE = env_int("ASM_GLOBAL_RATE", 4000)
ASM_MAX_RUNNING_JOBS = env_int("ASM_MAX_RUNNING_JOBS", 8)
ASM_JOB_ADDRESSES = env_int("ASM_JOB_ADDRESSES", 256)
ASM_JOB_HEARTBEAT_SECONDS = float(env_str("ASM_JOB_HEARTBEAT_SECONDS", "10"))
ASM_JOB_STALE_SECONDS = env_int("ASM_JOB_STALE_SECONDS", 120)
ASM_JOB_START_TIMEOUT_SECONDS = env_int("ASM_JOB_START_TIMEOUT_SECONDS", 1800)
ASM_JOB_MAX_ATTEMPTS = env_int("ASM_JOB_MAX_ATTEMPTS", 3)
ASM_RECOVER_SECONDS = env_int("ASM_RECOVER_SECONDS", 60)
ASM_SCAN_INTERVAL_DAYS = env_int("ASM_SCAN_INTERVAL_DAYS", 7)
ASM_SCHEDULED_SCANS = env_bool("ASM_SCHEDULED_SCANS", default=True)
# DNS server for approvals, discovery and scans (HOST[:PORT]; the system's when empty).
ASM_RESOLVER = env_str("ASM_RESOLVER", "")
ASM_DNS_TIMEOUT = float(env_str("ASM_DNS_TIMEOUT", "3"))
# Rapid7 Recog's databases, read at run time (the engine's --recog-dir); none when empty.
ASM_RECOG_DIR = env_str("RECOG_DIR", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mamoru.orgs.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every operation needs a principal; what it may do is the services' business.
    "DEFAULT_PERMISSION_CLASSES": ["mamoru.api.permissions.HasPrincipal"],
    "DEFAULT_SCHEMA_CLASS": "mamoru.api.schema.MamoruAutoSchema",
    "EXCEPTION_HANDLER": "mamoru.api.exceptions.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "mamoru.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "60/min"),
        "user": env_str("API_USER_RATE", "1200/min"),
    },
    # A JSON API: forms and multipart bodies cannot carry the nested report structure.
    # Bodies too large or nested too deep are refused before parsing (a 400, never a 500).
    "DEFAULT_PARSER_CLASSES": ["mamoru.api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mamoru API",
    "DESCRIPTION": "地方公共団体のためのサイバーセキュリティ基盤 mamoru の REST API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Operation names without the version (``incidents_reports_list``), whatever else the
    # site mounts outside /api/v1/ (TAXII at /taxii2/ is its own protocol, not in the schema).
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Swagger UI's online validator would fetch a badge from swagger.io; the layout used
    # today shows none, and this keeps it so whatever the layout (mamoru.api.docs).
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH operations validate their whole body (a role change names the role): no
    # "Patched" component with every field optional.
    "COMPONENT_SPLIT_PATCH": False,
    # Several operations answer fields named "status", "kind", "category" or "tlp" with
    # different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "mamoru.incidents.models.ReportStatus",
        "CampaignStatusEnum": "mamoru.assessments.models.CampaignStatus",
        "TargetStatusEnum": "mamoru.assessments.models.TargetStatus",
        "MonthlyReportStatusEnum": "mamoru.progress.models.ReportStatus",
        "QuestionStatusEnum": "mamoru.progress.models.QuestionStatus",
        "QuestionCategoryEnum": "mamoru.progress.models.QuestionCategory",
        "FollowUpKindEnum": "mamoru.progress.models.FollowUpKind",
        "AudienceKindEnum": "mamoru.progress.audience.AudienceKind",
        "ShareKindEnum": "mamoru.advisories.models.ShareKind",
        "TlpEnum": "mamoru.advisories.models.Tlp",
        "PublishableTlpEnum": "mamoru.advisories.models.PUBLISHABLE_TLP_CHOICES",
        "AssetKindEnum": "mamoru.asm.models.AssetKind",
        "ScanStatusEnum": "mamoru.asm.models.ScanStatus",
        "FindingStatusEnum": "mamoru.asm.models.FindingStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
