"""Settings for Digipunt Helpdesk, driven by the environment.

With nothing set the app runs on an SQLite file with the console SMS backend and DEBUG on.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and PUBLIC_BASE_URL; see the
README's configuration table.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config import api_settings, logging_settings
from config.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", True)

# A fixed key is only acceptable for local development; production must set SECRET_KEY, and
# `check --deploy` fails on this value because it is short and marked insecure.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-development-only"
if not DEBUG and SECRET_KEY.startswith("django-insecure"):
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")

PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "helpdesk.apps.HelpdeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "phonenumber_field",
    "django_htmx",
    # Lowest layer first (docs/architecture.md): each app's ready() registers its jobs, privacy
    # hooks and signal receivers in this order.
    "helpdesk",
    "privacy",
    "volunteers",
    "appointments",
    "conversations",
    "sms",
    "voice",
    "help_requests",
    "guides",
    "demo",
]

MIDDLEWARE = [
    # First: a request body Django refuses stays refused, so its 400 never turns into a 500.
    "config.errors.UnreadableBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.errors.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Each cached version (the schedule's week, the API caller) read once per request.
    "helpdesk.cache_versions.OneReadPerRequest",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL anywhere in a request is a 400 before anything looks it up (PostgreSQL refuses NUL in
    # text); after LocaleMiddleware, so that the answer is in the request's language.
    "helpdesk.null_characters.RefuseNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "privacy.audit.AuditContextMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.navigation.navigation",
            ],
        },
    },
]

# Database: SQLite file in the repository unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must fail a request in seconds (a clean 503), not hang it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Parameters bound on the server, and a statement prepared once its connection has run
        # it 5 times (psycopg's prepare_threshold): PostgreSQL then plans a hot path's statements
        # once per connection, not on every request (planning was half its work per booking).
        # Off behind a pooler that cannot keep prepared statements (PgBouncer before 1.21).
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write transactions take the lock up front, so concurrent writers queue instead of failing
    # half way with "database is locked"; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Short timeouts, and a cache that fails open: with Redis down a page or a rate limit that
    # uses the cache goes on without it instead of failing (helpdesk/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "helpdesk.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The caches of rows (the schedule's week, API callers, topics: helpdesk/cache_versions.py) need
# every process to see a change's version bump. Local memory is one cache per process, which the
# development server (the embedded default, DEBUG on) is; several gunicorn workers without Redis
# are not, and there those rows are read from the database on each request instead.
CACHE_IN_ONE_PROCESS = env_bool("CACHE_IN_ONE_PROCESS", DEBUG and not REDIS_URL)

# Celery (config/celery.py) on Redis; without REDIS_URL nothing needs it and `run_jobs` does the
# work. Jobs are idempotent, so a task is acknowledged only once it ran, and one whose worker died
# goes back to the queue; each worker takes one task at a time so none waits behind a long one.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits out a Redis outage, however long
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # the jobs write their results to the database; no result backend
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
# Seconds between beat runs of each job of helpdesk.jobs.JOBS; `JOB_INTERVAL_<JOB NAME>` overrides one,
# e.g. JOB_INTERVAL_SEND_DUE_SMS=5. A job not named here runs as often as its own `every` says,
# else every "default" seconds.
JOB_INTERVALS = {"default": 300.0, "send_due_sms": 10.0, "send_due_email": 10.0, "queue_reminders": 180.0}
JOB_INTERVALS |= {
    name.removeprefix("JOB_INTERVAL_").lower(): float(value)
    for name, value in os.environ.items()
    if name.startswith("JOB_INTERVAL_") and value
}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", "celerybeat-schedule")
if REDIS_URL:
    # Beat keeps its schedule and a lock in this Redis (config/beat.py), not in a local file: no
    # state directory to keep, and a second beat (a standby, or `worker -B` on a second host)
    # waits for the lock instead of queuing every job twice. Beat extends the lock at every tick
    # (at most CELERY_BEAT_MAX_LOOP_INTERVAL seconds apart); a beat that died without releasing
    # it is replaced by a waiting one after CELERY_BEAT_LOCK_TIMEOUT seconds. Without REDIS_URL
    # nothing runs beat (`run_jobs` does the work) and the file setting above is left as it was.
    CELERY_BEAT_SCHEDULER = "config.beat:ResilientRedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_LOCK_TIMEOUT = max(env_int("CELERY_BEAT_LOCK_TIMEOUT", 30), 2)
    CELERY_BEAT_MAX_LOOP_INTERVAL = max(1, min(5, CELERY_REDBEAT_LOCK_TIMEOUT // 5))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # As long as the login form takes (helpdesk.forms.LoginForm, the API token serializer).
    {"NAME": "helpdesk.passwords.MaximumLengthValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address is refused before the password is checked.
    "helpdesk.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Dutch first, French and English too; Belgian formats.
LANGUAGE_CODE = "nl-be"
# Native names: a language switcher must be readable by someone who does not read the current one.
LANGUAGES = [
    ("nl-be", "Nederlands"),
    ("fr-be", "Français"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["helpdesk.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")  # collectstatic writes here
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Guides: a guide not reviewed for this many months is flagged to its owners. Screenshots are
# stored under MEDIA_ROOT and served by a view that checks who may see the guide (MEDIA_URL is
# never served publicly); uploads above GUIDE_IMAGE_MAX_BYTES are refused.
GUIDE_REVIEW_MONTHS = env_int("GUIDE_REVIEW_MONTHS", 6)
GUIDE_IMAGE_MAX_BYTES = env_int("GUIDE_IMAGE_MAX_BYTES", 2 * 1024 * 1024)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"

# Phone numbers: Belgian by default, stored as E.164.
PHONENUMBER_DEFAULT_REGION = "BE"
PHONENUMBER_DB_FORMAT = "E164"

# SMS (the sms app fills in the behaviour). The console backend signs with a fixed development
# token that the README names, so local tools can sign webhook requests.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN") or (
    "dev-twilio-auth-token" if SMS_BACKEND == "console" else ""
)
# Tests and staging only: send the Twilio backend's API requests to this origin (a fake Twilio)
# instead of https://api.twilio.com. Empty, the default, is Twilio itself.
TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "").strip()


# Limits so that a loop or an abuser cannot run up the bill (per phone number).
SMS_INBOUND_PER_HOUR = env_int("SMS_INBOUND_PER_HOUR", 30)
SMS_OUTBOUND_PER_DAY = env_int("SMS_OUTBOUND_PER_DAY", 20)
# The outbox: attempts before a message counts as failed, first retry delay (doubling each time,
# with jitter) and how long a worker's claim on a message lasts before another may take it.
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 6)
SMS_RETRY_SECONDS = env_int("SMS_RETRY_SECONDS", 30)
SMS_CLAIM_SECONDS = env_int("SMS_CLAIM_SECONDS", 120)
# Network statistics hide counts below this (k-anonymity), and whatever would give them away.
STATS_MIN_CELL = env_int("STATS_MIN_CELL", 5)
# An unanswered SMS menu is forgotten after this many hours.
SMS_CONVERSATION_HOURS = env_int("SMS_CONVERSATION_HOURS", 24)
# The voice line's text-to-speech per language: Twilio <Say> voice and language (and the
# <Gather> speech language). Belgian voices where the provider has one (Amazon Polly: Lisa nl-BE,
# Isabelle fr-BE); English in a British voice. VOICE_VOICE_NL, _FR, _EN override the voice name.
VOICE_VOICES = {
    "nl": {"voice": os.environ.get("VOICE_VOICE_NL", "Polly.Lisa-Neural"), "language": "nl-BE"},
    "fr": {"voice": os.environ.get("VOICE_VOICE_FR", "Polly.Isabelle-Neural"), "language": "fr-BE"},
    "en": {"voice": os.environ.get("VOICE_VOICE_EN", "Polly.Amy-Neural"), "language": "en-GB"},
}

# Retention of personal data (GDPR). Per municipality: citizen data and SMS texts (see the
# Municipality model). These are the same for everyone: first names at the counter are only needed
# on the day, and the audit log is kept long enough to answer questions about a past year.
WALK_IN_NAME_RETENTION_DAYS = env_int("WALK_IN_NAME_RETENTION_DAYS", 7)
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 730)

# Failed logins (django-axes): locked per username *and* address, so that one office behind one
# public address is not locked out together because one person forgot a password, and an
# attacker cannot lock out a colleague from elsewhere. Behind a reverse proxy, set
# TRUSTED_PROXY_COUNT to the number of proxies so the real client address is read from
# X-Forwarded-For; without it that header is ignored, because anyone could forge it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "helpdesk.client_ip.client_ip"
# Counters in the database, shared by every process, even with Redis configured: the cache fails
# open while Redis is down (helpdesk/cache.py), and lockouts must not stop counting then.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Successful logins are not kept: a list of who logged in from where is personal data nobody needs.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Mail: printed to the console in development, SMTP in production (EMAIL_HOST and friends).
if os.environ.get("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                # Mail goes out from the outbox job (helpdesk/mail.py): a mail server that hangs
                # must cost that job seconds per e-mail, not its whole run.
                "timeout": env_int("EMAIL_TIMEOUT", 5),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "digipunt@localhost")
# The e-mail outbox (helpdesk/mail.py), as the SMS one: attempts, first retry delay (doubling),
# how long a worker's claim lasts, and how long an e-mail given up on is kept.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 60)
EMAIL_CLAIM_SECONDS = env_int("EMAIL_CLAIM_SECONDS", 120)
EMAIL_KEEP_DAYS = env_int("EMAIL_KEEP_DAYS", 7)

# REST API (config/api_settings.py): authentication from the cache, rate limits, the schema.
REST_FRAMEWORK = api_settings.rest_framework(num_proxies=TRUSTED_PROXY_COUNT)
SPECTACULAR_SETTINGS = api_settings.SPECTACULAR_SETTINGS

# Security. Everything here is on in production; DEBUG keeps plain http for local use.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = logging_settings.logging_config(level=os.environ.get("LOG_LEVEL", "INFO"))
