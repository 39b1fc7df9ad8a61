"""Settings shared by every environment; values come from the environment (12-factor)."""
from pathlib import Path

import datetime as dt

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _, pgettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "core",
    "cadres",
    "training",
    "assessment",
    "rectification",
    "stipends",
    "dossiers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "core.middleware.UploadSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it turns a lockout flagged during any login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"  # the Chinese 403 page, not Django's English one
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# SQLite in the project folder is only the embedded default for a first run;
# production, CI and the benchmarks set DATABASE_URL to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# django-axes first: it refuses a locked-out user or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.auth_backends.UnitModelBackend",  # the session's user with the unit, one query (issue 12)
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# A session lasts a working day, not Django's two weeks: the pages show personal data.
SESSION_COOKIE_AGE = int(env.float("DJANGO_SESSION_HOURS", default=8) * 3600)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Simplified Chinese first, English second (SPEC: "Users").
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# django-filter's words for lookups, in our catalog (its own has no zh_Hans): a generated filter label reads
# "任职日期 起", never "任职日期 is greater than or equal to" (issue 8 item 3).
FILTERS_VERBOSE_LOOKUPS = {
    "exact": "", "iexact": "", "date": "", "year": pgettext_lazy("filter lookup", "year"),
    "contains": pgettext_lazy("filter lookup", "contains"), "icontains": pgettext_lazy("filter lookup", "contains"),
    "in": pgettext_lazy("filter lookup", "is one of"), "range": pgettext_lazy("filter lookup", "between"),
    "gt": pgettext_lazy("filter lookup", "after"), "gte": pgettext_lazy("filter lookup", "from"),
    "lt": pgettext_lazy("filter lookup", "before"), "lte": pgettext_lazy("filter lookup", "until"),
    "startswith": pgettext_lazy("filter lookup", "starts with"),
    "istartswith": pgettext_lazy("filter lookup", "starts with"),
    "isnull": pgettext_lazy("filter lookup", "is empty"),
}
# A choice filter left empty reads 全部, not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    # Token first: DRF answers an anonymous call with the first class's WWW-Authenticate
    # challenge and 401 (session authentication has none, which gave 403). Session
    # authentication still serves the browsable API and the pages' scripts, with CSRF.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.TokenAuthentication",  # token, user and unit in one query
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Rates are read per request (core.api.throttles), so a setting of None switches one off.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttles.AnonThrottle",
        "core.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("ZHISHU_THROTTLE_ANON", default="60/minute"),
        "user": env("ZHISHU_THROTTLE_USER", default="600/minute"),
        # The token endpoint, per client address: password guessing is also locked out by axes.
        "auth": env("ZHISHU_THROTTLE_AUTH", default="10/minute"),
        # The public verification page of printed dossiers (R-DOS-1), per client address: each lookup
        # rebuilds a record's content.
        "verify": env("ZHISHU_THROTTLE_VERIFY", default="60/minute"),
    },
    # Proxies in front of the app whose X-Forwarded-For DRF may trust for the client address.
    "NUM_PROXIES": env.int("ZHISHU_NUM_PROXIES", default=None),
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.filtersets.ScopedFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
}
# API tokens (django-rest-knox): only a hash is stored; each token expires after the TTL
# and is revoked by POST /api/v1/auth/token/revoke/. Header stays "Authorization: Token <key>".
ZHISHU_TOKEN_TTL_HOURS = env.float("ZHISHU_TOKEN_TTL_HOURS", default=8)
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=ZHISHU_TOKEN_TTL_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": env.int("ZHISHU_TOKEN_LIMIT_PER_USER", default=None),
}


def _lockout_parameters(value: str) -> list:
    """"username,ip_address" locks each separately; "username+ip_address" only the pair."""
    return [part.split("+") if "+" in part else part for part in value.replace(" ", "").split(",") if part]


# django-axes (R-SEC-3): repeated failed logins lock out, on the login page, the admin and
# the token endpoint alike. By default a username is locked whatever the address (guessing
# one account from many machines) and an address whatever the username (trying one password
# on many accounts). An office behind one NAT address shares the address lock: set
# AXES_LOCKOUT_PARAMETERS=username+ip_address there, and the proxy settings below so that
# the address is the client's and not the proxy's.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = _lockout_parameters(env("AXES_LOCKOUT_PARAMETERS", default="username,ip_address"))
# Not reset on success: with the address lock, an attacker's own good login from that
# address would otherwise wipe the failures they piled up on other accounts.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "core.errors.lockout_response"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"])

SPECTACULAR_SETTINGS = {
    "TITLE": "Zhishu 支书 API",
    "DESCRIPTION": "Party-branch secretary registry, training, assessment and stipends. "
    "Every endpoint is scoped to the caller's organisation subtree (R-ORG-2).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_optional_fields",
    ],
    # Choice sets used by several fields get one component each (otherwise named after the first field).
    # Rating has Tier's values and labels, so the TierEnum entry names it too.
    "ENUM_NAME_OVERRIDES": {
        "TierEnum": "assessment.choices.Tier",
        "DutyReportStateEnum": "assessment.choices.DutyReportState",
        "HonourLevelEnum": "assessment.choices.HonourLevel",
        "LevelEnum": "core.choices.Level",
        "JobStateEnum": "core.choices.JobState",
        "RectificationCaseStateEnum": "rectification.choices.CaseState",
        "RectificationTaskStateEnum": "rectification.choices.TaskState",
        "WeakCandidateStateEnum": "rectification.choices.CandidateState",
        "CorrectionOrderStateEnum": "rectification.choices.CorrectionState",
        "StipendSheetStateEnum": "stipends.choices.SheetState",
        "StipendRegimeEnum": "stipends.choices.Regime",
        "StipendPeriodEnum": "stipends.choices.Period",
    },
}

# Celery: Redis as broker; eager only for the first-run command (no worker needed).
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# The queue of tasks sent without one (e.g. the mail after a sweep); the worker tests give their
# worker processes a queue of their own so the follow-up tasks stay with them.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# R-JOB-3 under faults: a task is acknowledged only once it has run, and a task whose worker
# process died is given back to the broker; the job row decides whether a redelivery runs
# (core.services.jobs). Time limits apply to every task; past the soft one the job is failed.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("ZHISHU_JOB_SOFT_TIME_LIMIT", default=30 * 60)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
# An unacknowledged task (its worker killed) goes back to the queue after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# A running job writes a heartbeat this often; without one for the lease, its worker is taken as lost.
_ON_SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
ZHISHU_JOB_HEARTBEAT_SECONDS = env.int("ZHISHU_JOB_HEARTBEAT_SECONDS", default=0 if _ON_SQLITE else 15)
ZHISHU_JOB_LEASE_SECONDS = env.int("ZHISHU_JOB_LEASE_SECONDS", default=90)
# A job sent to the workers that none took within this many seconds is marked failed.
ZHISHU_JOB_PENDING_TIMEOUT = env.int("ZHISHU_JOB_PENDING_TIMEOUT", default=60 * 60)
# Runs of one job (redeliveries after a lost worker included) before it is marked failed.
ZHISHU_JOB_MAX_ATTEMPTS = env.int("ZHISHU_JOB_MAX_ATTEMPTS", default=2)
# Issue 8 item 4: a page's export of more rows than this is written by a job (core.exports), fewer at once.
ZHISHU_EXPORT_SYNC_MAX_ROWS = env.int("ZHISHU_EXPORT_SYNC_MAX_ROWS", default=2000)

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="zhishu@localhost")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# R-SEC-3: caps on uploads and on what an imported workbook may unpack to (core/uploads.py).
ZHISHU_UPLOAD_MAX_BYTES = env.int("ZHISHU_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# R-RCT-1: the largest evidence file attached to a rectification task.
ZHISHU_EVIDENCE_MAX_BYTES = env.int("ZHISHU_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
ZHISHU_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("ZHISHU_IMPORT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
ZHISHU_IMPORT_MAX_ROWS = env.int("ZHISHU_IMPORT_MAX_ROWS", default=20_000)
# Request bodies other than files (forms, JSON) and the size above which an upload goes to a temp file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # R-SEC-1: every handler redacts ID numbers and mobile numbers (core.log_filters).
    "filters": {"redact_personal_data": {"()": "core.log_filters.RedactPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_personal_data"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO, fontTools every subset: warnings only.
    "loggers": {"weasyprint": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"}},
}

# R-SEC-1: encryption at rest of ID numbers and phones (core.crypto). ZHISHU_FIELD_KEYS are Fernet keys,
# newest first, comma-separated (rotate: put a new key first, run ``manage.py rotate_field_keys``, then drop
# the old one); ZHISHU_HASH_KEY keys the HMAC that finds an ID number and keeps it unique. Production
# requires both; local and test settings fall back to fixed development keys.
ZHISHU_FIELD_KEYS = env.list("ZHISHU_FIELD_KEYS", default=[])
ZHISHU_HASH_KEY = env("ZHISHU_HASH_KEY", default="")
# R-DOS-1: the key of the HMAC that signs a printed dossier's content, so that its verification code
# is a signed digest, not a guessable id. Production requires it; local and test settings use a fixed
# development key. Changing it makes every earlier printout "unknown".
ZHISHU_DOSSIER_KEY = env("ZHISHU_DOSSIER_KEY", default="")
# R-DOS-2: a jurisdiction's dossier ZIP is rendered in chunks of this many people, one task each, by as
# many workers as run; the ZIP is deleted this many hours after it was written.
ZHISHU_DOSSIER_CHUNK_SIZE = env.int("ZHISHU_DOSSIER_CHUNK_SIZE", default=20)
ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS = env.int("ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS", default=24)
# A running export whose parts wait in the queue behind other work is failed as "worker lost" only after this
# many seconds without one finished part or person (the other jobs' lease is ZHISHU_JOB_LEASE_SECONDS).
ZHISHU_DOSSIER_EXPORT_LEASE_SECONDS = env.int("ZHISHU_DOSSIER_EXPORT_LEASE_SECONDS", default=3600)
# R-JOB-1: the annual review works in parts — the jurisdiction's children (its counties) in path order, small
# ones packed up to this many branches. A review of more branches than ZHISHU_REVIEW_FAN_OUT_BRANCHES sends
# its parts to the workers at once (a Celery group, one transaction each, then the steps); a smaller one
# runs its parts in one task and one transaction. The fanned-out job is failed as lost only after
# ZHISHU_REVIEW_LEASE_SECONDS without a finished part.
ZHISHU_REVIEW_PART_BRANCHES = env.int("ZHISHU_REVIEW_PART_BRANCHES", default=20000)
ZHISHU_REVIEW_FAN_OUT_BRANCHES = env.int("ZHISHU_REVIEW_FAN_OUT_BRANCHES", default=50000)
ZHISHU_REVIEW_LEASE_SECONDS = env.int("ZHISHU_REVIEW_LEASE_SECONDS", default=1800)
# Uploaded import files never confirmed are deleted after this many hours (core.services.uploads).
ZHISHU_UPLOAD_RETENTION_HOURS = env.int("ZHISHU_UPLOAD_RETENTION_HOURS", default=24)

ZHISHU_SITE_NAME = _("Zhishu")
# The site's address, for links in mailed notices.
ZHISHU_BASE_URL = env("DJANGO_BASE_URL", default="http://127.0.0.1:8000")

# Periodic tasks (django-celery-beat syncs these into its database tables when beat starts).
# Each app adds its entries here; the task itself only loads ids and calls a service.
CELERY_BEAT_SCHEDULE: dict = {
    # R-JOB-3: jobs no worker took, and jobs whose worker was lost, end as failed with a message.
    "core-fail-stale-jobs": {
        "task": "core.tasks.fail_stale_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # R-JOB-2: notices are mailed right after they are stored; this retries what failed.
    "core-mail-pending-notices": {
        "task": "core.tasks.mail_pending_notices",
        "schedule": crontab(minute="*/10"),
    },
    # R-SEC-1: uploaded rosters never confirmed are deleted after ZHISHU_UPLOAD_RETENTION_HOURS.
    "core-expire-unconfirmed-uploads": {
        "task": "core.tasks.expire_unconfirmed_uploads",
        "schedule": crontab(minute=15),
    },
    # R-JOB-2: the one daily deadline sweep over every part the apps register (core.sweeps): initial
    # training, duty reports and evaluations due, rectification tasks and correction deadlines, talks.
    "core-daily-deadline-sweep": {
        "task": "core.tasks.daily_deadline_sweep",
        "schedule": crontab(hour=6, minute=0),
    },
    # R-JOB-1: the annual review of every unpublished cycle whose classification date is today.
    "assessment-annual-reviews-due": {
        "task": "assessment.tasks.start_due_annual_reviews",
        "schedule": crontab(hour=2, minute=0),
    },
    # R-DOS-2: files of jurisdiction exports older than ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS are deleted.
    "dossiers-expire-exports": {
        "task": "dossiers.tasks.expire_dossier_exports",
        "schedule": crontab(minute=40),
    },
}
