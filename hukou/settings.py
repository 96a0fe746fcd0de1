"""Settings for the settlement case-management system, read from the environment (12-factor).

DATABASE_URL  PostgreSQL in production, CI and tests; SQLite under var/ when unset (embedded demo).
REDIS_URL     Celery broker and Django cache; when unset, Celery tasks run eagerly in-process and
              the cache is file-based so that several local processes still share it.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HUKOU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Reverse proxies (addresses or networks, e.g. "172.18.0.0/16") whose X-Forwarded-For is believed;
# none by default. hukou.clientip.client_ip is the one place that reads it.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "axes",
    "hukou",
    "policies",
    "applications",
    "portal",
    "subsidies",
    "housing",
    "dashboard",
]

MIDDLEWARE = [
    "hukou.middleware.AccessLogMiddleware",  # outermost: logs every answer, without query strings
    "django.middleware.security.SecurityMiddleware",
    "hukou.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last, as django-axes asks: turns a locked-out login attempt into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hukou.urls"
WSGI_APPLICATION = "hukou.wsgi.application"
ASGI_APPLICATION = "hukou.asgi.application"

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
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, answering from a per-process cache while Redis is unreachable (hukou.cache)
            "BACKEND": "hukou.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hukou"),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A payment run with no progress for this long is stalled (its worker died); beat resumes it within a minute.
PAYMENT_RUN_STALLED_AFTER_SECONDS = int(os.environ.get("PAYMENT_RUN_STALLED_AFTER_SECONDS", "180"))

# --- auth -------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.passwords.LettersAndDigitsValidator"},
]
# django-axes first: it refuses a login attempt while the username + address pair is locked out, then
# the normal model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "portal.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:cases"
LOGOUT_REDIRECT_URL = "portal:home"

# django-axes: throttle failed logins (portal and admin alike)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "portal.views.accounts.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "hukou.clientip.client_ip"
# password spraying (many usernames, one password): an address is locked after this many failed logins
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# SMS codes (sign-up, password reset): applications.services.phone_codes
SMS_CODE_TTL_SECONDS = int(os.environ.get("SMS_CODE_TTL_SECONDS", "600"))
SMS_CODE_MAX_ATTEMPTS = int(os.environ.get("SMS_CODE_MAX_ATTEMPTS", "5"))
SMS_CODE_RESEND_SECONDS = int(os.environ.get("SMS_CODE_RESEND_SECONDS", "60"))
SMS_CODES_PER_NUMBER_PER_HOUR = int(os.environ.get("SMS_CODES_PER_NUMBER_PER_HOUR", "5"))
SMS_CODES_PER_ADDRESS_PER_HOUR = int(os.environ.get("SMS_CODES_PER_ADDRESS_PER_HOUR", "10"))
SMS_CODES_PER_RECIPIENT_PER_DAY = int(os.environ.get("SMS_CODES_PER_RECIPIENT_PER_DAY", "10"))

# --- i18n: the users read Chinese -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files (uploads live outside the web root) ----------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- applications ----------------------------------------------------------------------------
MATERIAL_MAX_BYTES = int(os.environ.get("MATERIAL_MAX_BYTES", str(10 * 1024 * 1024)))
# files per checklist item when the route's checklist item gives no "max_files"
MATERIAL_MAX_FILES_PER_ITEM = int(os.environ.get("MATERIAL_MAX_FILES_PER_ITEM", "5"))
# Request bodies: anything declaring more than one material plus form overhead is refused with 413
# before it is read (hukou.middleware.RequestSizeLimitMiddleware); nginx caps it at the door too.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(MATERIAL_MAX_BYTES + 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # non-file form fields and JSON bodies: 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads are spooled to a temporary file
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # one upload form posts one file
SMS_BACKEND = os.environ.get("SMS_BACKEND", "applications.sms.ConsoleSmsBackend")
# Default: log that a mail went out (masked address, subject), never its body; production sets SMTP
# (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the EMAIL_HOST_* variables).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "hukou.mail.SummaryConsoleEmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@hukou.example.gov.cn")

# 个人信息访问留痕: how long the records of staff views of personal data are kept (months, at least 6).
PERSONAL_DATA_AUDIT_RETENTION_MONTHS = int(os.environ.get("PERSONAL_DATA_AUDIT_RETENTION_MONTHS", "6"))
if PERSONAL_DATA_AUDIT_RETENTION_MONTHS < 6:
    raise ImproperlyConfigured("PERSONAL_DATA_AUDIT_RETENTION_MONTHS must be at least 6 (months)")

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies are depth-limited (hukou.jsonlimits): nesting bombs get 400, not a RecursionError
    "DEFAULT_PARSER_CLASSES": [
        "hukou.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {"eligibility": os.environ.get("ELIGIBILITY_RATE", "120/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "落户业务办理系统 API",
    "DESCRIPTION": "Settlement (落户) case management: eligibility, applications, subsidies, housing.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- policy engine ----------------------------------------------------------------------------
# How often (seconds) a process checks the shared policy version for edits made elsewhere.
POLICY_RELOAD_CHECK_SECONDS = float(os.environ.get("POLICY_RELOAD_CHECK_SECONDS", "1.0"))

# --- security defaults for production ---------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

# What is logged, where, and for how long: see README "Logs". Every handler formats through
# hukou.logging.RedactingFormatter (no full ID number, phone number, token or code in a log line).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "redacted": {
            "()": "hukou.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "redacted"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes logs every login at INFO; lockouts (WARNING) are what an operator needs
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
        "hukou.access": {"level": os.environ.get("ACCESS_LOG_LEVEL", "INFO")},
        # the access log above already says "404 /path"; Django's own line would repeat it
        "django.request": {"level": "ERROR"},
    },
}
# Celery workers and beat log through the configuration above (and its redacting formatter) instead of
# installing their own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
