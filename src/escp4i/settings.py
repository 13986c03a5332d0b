"""Django settings for escp4i. Everything configurable comes from environment variables
(see docs/configuration.md and .env.example); the defaults are safe and work offline."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from escp4i.core.env import env_bool, env_float, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("ESCP4I_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("ESCP4I_DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = Path(env_str("ESCP4I_SECRET_KEY_FILE", str(VAR_DIR / "secret_key")))
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    if DEBUG:
        return "insecure-debug-only-key"
    raise ImproperlyConfigured(
        "SECRET_KEY is not set and no key file exists at "
        f"{key_file}. Run `escp4i init-secret` (make demo does) or set SECRET_KEY."
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ESCP4I_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ESCP4I_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "escp4i.web.views.errors.csrf_failure"

INSTALLED_APPS = [
    # web first: its registration/ templates override the admin app's password-reset pages.
    "escp4i.web",
    # The admin site only lets programme officers in (accounts/admin_site.py).
    "escp4i.accounts.admin_config.OfficerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the Swagger UI assets locally: /api/v1/docs works offline
    "escp4i.core",
    "escp4i.registry",
    "escp4i.accounts",
    "escp4i.labels",
    "escp4i.calls",
    "escp4i.events",
    "escp4i.notifications",
    "escp4i.collaboration",
    "escp4i.dashboards",
    "escp4i.synthetic",
    "escp4i.api",
    "escp4i.ops",
]

MIDDLEWARE = [
    # First: every request gets an id (X-Request-ID) and one access-log line, even a redirect.
    "escp4i.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "escp4i.ops.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Any error under /api/ is JSON, also a wrong method or an unknown URL.
    "escp4i.api.middleware.ApiJsonErrorsMiddleware",
    "escp4i.api.ratelimit.ApiRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # NUL characters in query, path, form or JSON text: 400/422 before any view (PostgreSQL).
    "escp4i.web.middleware.RejectNulCharactersMiddleware",
]

ROOT_URLCONF = "escp4i.urls"
WSGI_APPLICATION = "escp4i.wsgi.application"

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
                "escp4i.web.context.site",
            ]
        },
    }
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "escp4i.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": max(12, env_int("ESCP4I_PASSWORD_MIN_LENGTH", 12))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("ESCP4I_STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names (far-future caching); needs `collectstatic` before serving.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("ESCP4I_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

EMAIL_BACKEND = env_str("ESCP4I_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("ESCP4I_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ESCP4I_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ESCP4I_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("ESCP4I_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("ESCP4I_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("ESCP4I_DEFAULT_FROM_EMAIL", "escp4i@localhost")
# Where people write to exercise their data-protection rights (shown on the privacy page).
ESCP4I_PRIVACY_CONTACT = env_str("ESCP4I_PRIVACY_CONTACT", DEFAULT_FROM_EMAIL)

# --- HTTPS and security headers (docs/deploy.md). ESCP4I_HTTPS switches the secure defaults on;
# each one can still be set on its own. Off by default so `make demo` works on plain http.
_HTTPS = env_bool("ESCP4I_HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("ESCP4I_SSL_REDIRECT", _HTTPS)
# Load balancers probe the health endpoints over plain http: no redirect for them.
SECURE_REDIRECT_EXEMPT = env_list("ESCP4I_SSL_REDIRECT_EXEMPT", [r"^health/?$", r"^health/ready$"])
SECURE_HSTS_SECONDS = env_int("ESCP4I_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ESCP4I_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("ESCP4I_HSTS_PRELOAD", False)
if env_bool("ESCP4I_BEHIND_PROXY", False):
    # Only behind a proxy that sets (and strips client-sent) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False
SESSION_COOKIE_SECURE = env_bool("ESCP4I_SECURE_COOKIES", _HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # pages put the token in forms and hx-headers, never read the cookie
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (escp4i.ops.middleware): no inline scripts or styles, no eval, nothing
# from other origins. Views that need another policy (the SVG badge) set their own header.
ESCP4I_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
ESCP4I_CSP_REPORT_ONLY = env_bool("ESCP4I_CSP_REPORT_ONLY", False)

# --- Cache: login throttling and API rate limits count here. Redis shares the counters between
# every web process and machine; without it each process counts on its own.
_cache_url = env_str("ESCP4I_CACHE_URL")
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "escp4i",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Login throttling and lockout (accounts/lockout.py).
ESCP4I_LOGIN_MAX_FAILURES = env_int("ESCP4I_LOGIN_MAX_FAILURES", 5)  # per account name
ESCP4I_LOGIN_MAX_FAILURES_PER_IP = env_int("ESCP4I_LOGIN_MAX_FAILURES_PER_IP", 20)
ESCP4I_LOGIN_WINDOW_S = env_int("ESCP4I_LOGIN_WINDOW_S", 900)
ESCP4I_LOGIN_LOCKOUT_S = env_int("ESCP4I_LOGIN_LOCKOUT_S", 900)
# --- Public API rate limits (api/ratelimit.py): requests per window; 0 switches a limit off.
ESCP4I_API_RATE_LIMIT_IP = env_int("ESCP4I_API_RATE_LIMIT_IP", 300)
ESCP4I_API_RATE_LIMIT_TOKEN = env_int("ESCP4I_API_RATE_LIMIT_TOKEN", 1200)
ESCP4I_API_RATE_WINDOW_S = env_int("ESCP4I_API_RATE_WINDOW_S", 60)
# Failed API token authentications per client IP and window before 429.
ESCP4I_API_TOKEN_MAX_FAILURES = env_int("ESCP4I_API_TOKEN_MAX_FAILURES", 20)
# Client IP: REMOTE_ADDR, or the address the n-th proxy from the right appended to
# X-Forwarded-For when ESCP4I_TRUSTED_PROXY_COUNT > 0 (never trust a client-sent header).
ESCP4I_TRUSTED_PROXY_COUNT = env_int("ESCP4I_TRUSTED_PROXY_COUNT", 0)

# --- Uploads: size cap of any uploaded file (imports, attachments), checked with its content.
ESCP4I_UPLOAD_MAX_BYTES = env_int("ESCP4I_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Public address of the site, for the absolute links in e-mails (no trailing slash needed).
ESCP4I_SITE_URL = env_str("ESCP4I_SITE_URL", "http://127.0.0.1:8000")

# Notifications: e-mail frequency for categories a user never chose, digest time, unsubscribe
# link lifetime. The hour and weekday are in TIME_ZONE (Celery's clock, see CELERY_TIMEZONE).
ESCP4I_NOTIFICATIONS_DEFAULT_EMAIL = env_str("ESCP4I_NOTIFICATIONS_DEFAULT_EMAIL", "immediate")
if ESCP4I_NOTIFICATIONS_DEFAULT_EMAIL not in {"immediate", "daily", "weekly", "off"}:
    raise ImproperlyConfigured(
        "ESCP4I_NOTIFICATIONS_DEFAULT_EMAIL must be immediate, daily, weekly or off, "
        f"got {ESCP4I_NOTIFICATIONS_DEFAULT_EMAIL!r}"
    )
ESCP4I_DIGEST_HOUR = env_int("ESCP4I_DIGEST_HOUR", 7)
if not 0 <= ESCP4I_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(f"ESCP4I_DIGEST_HOUR must be 0-23, got {ESCP4I_DIGEST_HOUR}")
ESCP4I_DIGEST_WEEKDAY = env_str("ESCP4I_DIGEST_WEEKDAY", "mon").strip().lower()
if ESCP4I_DIGEST_WEEKDAY not in {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}:
    raise ImproperlyConfigured(
        "ESCP4I_DIGEST_WEEKDAY must be mon, tue, wed, thu, fri, sat or sun, "
        f"got {ESCP4I_DIGEST_WEEKDAY!r}"
    )
ESCP4I_UNSUBSCRIBE_MAX_AGE_DAYS = env_int("ESCP4I_UNSUBSCRIBE_MAX_AGE_DAYS", 365)

# Background jobs: in-process (eager) unless a broker is configured.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Beat reads the crontab entries below in the site's time zone, not UTC.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep our log format (JSON lines when configured)
CELERY_WORKER_CONCURRENCY = env_int("ESCP4I_WORKER_CONCURRENCY", 2)
# Beat keeps its last-run times here (exactly one beat per installation: docs/deploy.md).
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic jobs (run by `celery -A escp4i beat`); each is also a management command.
CELERY_BEAT_SCHEDULE = {
    # 05:15 Brussels: after midnight everywhere in the EU, before office hours (labels/tasks.py).
    "labels-daily": {
        "task": "escp4i.labels.tasks.labels_daily",
        "schedule": crontab(hour=5, minute=15),
    },
    "events-expire-requests": {
        "task": "events.expire_requests",
        "schedule": crontab(minute=7),
    },
    "events-follow-up-reminders": {
        "task": "events.follow_up_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Notification digests (notifications/tasks.py); a re-run never e-mails anything twice.
    "notifications-daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=ESCP4I_DIGEST_HOUR, minute=0),
        "kwargs": {"period": "daily"},
    },
    "notifications-weekly-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=ESCP4I_DIGEST_HOUR, minute=0, day_of_week=ESCP4I_DIGEST_WEEKDAY),
        "kwargs": {"period": "weekly"},
    },
    # Runs whose worker died (killed, machine lost) are marked failed so they can be retried.
    "events-fail-stale-runs": {
        "task": "events.fail_stale_runs",
        "schedule": crontab(minute="*/5"),
    },
}

# Label lifecycle: days before a label's end date at which reminders are sent.
ESCP4I_LABEL_REMINDER_DAYS = [
    int(d) for d in env_list("ESCP4I_LABEL_REMINDER_DAYS", ["90", "30", "7"])
]

# Scheduler parameters (explicit arguments to the solver, read only here).
ESCP4I_SCHEDULER_TIME_LIMIT_S = env_float("ESCP4I_SCHEDULER_TIME_LIMIT_S", 30.0)
ESCP4I_SCHEDULER_WORKERS = env_int("ESCP4I_SCHEDULER_WORKERS", 2)
ESCP4I_SCHEDULER_SEED = env_int("ESCP4I_SCHEDULER_SEED", 1)

# Forum: minutes during which authors may edit their own posts.
ESCP4I_FORUM_EDIT_WINDOW_MINUTES = env_int("ESCP4I_FORUM_EDIT_WINDOW_MINUTES", 30)

# Pagination of public lists.
ESCP4I_PAGE_SIZE = env_int("ESCP4I_PAGE_SIZE", 20)
# Key figures are cached until the registry changes, and at most this long (0: no cache).
ESCP4I_FIGURES_CACHE_SECONDS = env_int("ESCP4I_FIGURES_CACHE_SECONDS", 300)

# A run still "running" without progress for this long lost its worker and is marked failed.
ESCP4I_SCHEDULER_STALE_AFTER_S = env_int(
    "ESCP4I_SCHEDULER_STALE_AFTER_S", int(ESCP4I_SCHEDULER_TIME_LIMIT_S) + 600
)

# --- Backups (escp4i backup / restore, docs/deploy.md).
ESCP4I_BACKUP_DIR = Path(env_str("ESCP4I_BACKUP_DIR", str(VAR_DIR / "backups")))
# Folder of pg_dump/pg_restore; empty: found on PATH or under /usr/lib/postgresql/*/bin.
ESCP4I_PG_BIN_DIR = env_str("ESCP4I_PG_BIN_DIR")

# --- Logs: plain text, or one JSON object per line on stdout (ESCP4I_LOG_FORMAT=json), each
# with the request id of the request that wrote it.
_LOG_FORMAT = env_str("ESCP4I_LOG_FORMAT", "plain")
if _LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"ESCP4I_LOG_FORMAT must be plain or json, got {_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "escp4i.ops.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "escp4i.ops.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": _LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("ESCP4I_LOG_LEVEL", "INFO")},
    "loggers": {
        # Our access line replaces Django's own request log (django.server keeps runserver's).
        "django.request": {"level": "ERROR"},
    },
}
