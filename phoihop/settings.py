"""Django settings: one file, every value from the environment (see ``phoihop.config``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from phoihop import config

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = config.var_dir()

try:
    DEBUG = config.env_bool("DEBUG", default=False)
    SECRET_KEY = config.secret_key(DEBUG)
    ALLOWED_HOSTS = config.allowed_hosts()
    DATABASES = {"default": config.database()}
    UPLOAD_MAX_BYTES = config.env_int("PHOIHOP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
    LOGIN_FAILURE_LIMIT = config.env_int("PHOIHOP_LOGIN_FAILURE_LIMIT", 10, minimum=1)
    LOGIN_LOCKOUT_MINUTES = config.env_int("PHOIHOP_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
    PHOIHOP_REQUIRE_2FA_FOR_LEADERS = config.env_bool("PHOIHOP_REQUIRE_2FA_FOR_LEADERS")
except config.ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "phoihop.units",
    "phoihop.documents",
    "phoihop.schedule",
    "phoihop.tracking",
    "phoihop.web",
    "phoihop.reminders",
    "phoihop.reviews",
    "phoihop.people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "phoihop.web.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "phoihop.web.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "phoihop.web.middleware.CoreLanguageMiddleware",
    # Last: turns a lockout flagged during authentication into the "try again at" page.
    "axes.middleware.AxesMiddleware",
    "phoihop.people.middleware.FirstRunMiddleware",
]

ROOT_URLCONF = "phoihop.urls"
WSGI_APPLICATION = "phoihop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "phoihop.web.context_processors.navigation",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Login throttling (django-axes), on the site's login and /admin/ alike: after
# PHOIHOP_LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# refused for PHOIHOP_LOGIN_LOCKOUT_MINUTES, counted from the last failure; a success resets the
# count. Behind a reverse proxy REMOTE_ADDR must be the client's (set by the proxy).
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "phoihop.web.views.locked_out"
AXES_VERBOSE = False
LOGIN_REDIRECT_URL = "web:home"
# Two-factor sign-in (django-otp, TOTP apps and one-time recovery codes; see phoihop.web.two_factor):
# wrong codes are counted per user, not per address, against the same limit and lock as passwords,
# so django-otp's own growing delays are turned off (factor 0) to leave one rule.
OTP_TOTP_ISSUER = "Phối hợp"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The admin may delete a lost phone's device, never read its key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
# Uploaded evidence lives outside the web root and is served only through views that check access.
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


# -- Reminders (issue 6): background worker and e-mail ----------------------------------------
# The worker is huey (``phoihop run_huey``): its queue lives in an SQLite file under var/ by
# default, so one school needs no extra server; set REDIS_URL to share one queue between the web
# workers of a province. Mail goes out through SMTP when EMAIL_HOST is set; otherwise messages are
# written to var/mail/ (nothing leaves the machine, nothing is lost).
import os  # noqa: E402

INSTALLED_APPS += ["huey.contrib.djhuey"]

# The activity tally's index carries its figures as included columns so that PostgreSQL answers
# the roll-up from the index alone; SQLite builds the same index without them, as intended.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "phoihop", "url": REDIS_URL}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "phoihop",
        "filename": str(VAR_DIR / "huey.sqlite3"),
    }
HUEY["immediate"] = False
HUEY["consumer"] = {"workers": 1, "worker_type": "thread", "periodic": True}

try:
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
    EMAIL_PORT = config.env_int("EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = config.env_bool("EMAIL_USE_TLS", default=False)
except config.ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Phối hợp <phoihop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
# The site's address as users reach it, for links in e-mails ("https://phoihop.truong.edu.vn").
PHOIHOP_BASE_URL = os.environ.get("PHOIHOP_BASE_URL", "").strip()

# -- Backups (issue 13) -------------------------------------------------------------------------
# ``phoihop backup`` and the worker's daily backup (``phoihop.backup``) write archives here; the
# daily one keeps the newest PHOIHOP_BACKUP_KEEP archives (0: no daily backup).
try:
    BACKUP_DIR = Path(os.environ.get("PHOIHOP_BACKUP_DIR") or VAR_DIR / "backups").resolve()
    BACKUP_KEEP = config.env_int("PHOIHOP_BACKUP_KEEP", 14, minimum=0)
except config.ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

# -- Deployment hardening (issue 13) ------------------------------------------------------------
# PHOIHOP_TLS=1: the site is served over HTTPS by a reverse proxy (see README, "Behind nginx")
# that sets X-Forwarded-Proto itself. Cookies then travel only over HTTPS, plain HTTP is
# redirected, and browsers are told by HSTS to come back over HTTPS only. Sessions end after
# PHOIHOP_SESSION_IDLE_MINUTES without a request (each request moves the expiry on).
try:
    TLS = config.env_bool("PHOIHOP_TLS", default=False)
    SESSION_IDLE_MINUTES = config.env_int("PHOIHOP_SESSION_IDLE_MINUTES", 120, minimum=1)
    HSTS_SECONDS = config.env_int("PHOIHOP_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    HSTS_PRELOAD = config.env_bool("PHOIHOP_HSTS_PRELOAD", default=False)
except config.ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
if TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = HSTS_PRELOAD
    if not HSTS_PRELOAD:
        # Preloading commits the whole domain (often the school's or the province's, which the
        # operator of this site may not own) to HTTPS in every browser: a choice, not a default.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]
# No script but the site's own files: no inline script, no event-handler attribute, no eval
# (``phoihop.web.middleware.ContentSecurityPolicyMiddleware``). Inline style attributes stay
# allowed (progress bars and tree indentation are drawn with them).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "phoihop.web.middleware.ContentSecurityPolicyMiddleware",
)
# Secrets in addresses (the iCalendar feeds' tokens) are masked in every log line.
LOGGING["filters"] = {"mask_secrets": {"()": "phoihop.web.logmask.MaskSecretsFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["mask_secrets"]
LOGGING["handlers"]["django.server"] = {
    "class": "logging.StreamHandler",
    "formatter": "django.server",
    "filters": ["mask_secrets"],
}
LOGGING["formatters"] = {
    "django.server": {
        "()": "django.utils.log.ServerFormatter",
        "format": "[{server_time}] {message}",
        "style": "{",
    }
}
LOGGING["loggers"] = {
    "django.request": {"filters": ["mask_secrets"]},
    "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
}
