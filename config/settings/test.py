"""Test settings: DATABASE_URL points at PostgreSQL in CI; SQLite otherwise."""
from .base import *  # noqa: F403
from .base import env

# DEVELOPMENT KEYS ONLY — public in this repository, so data encrypted with them is not protected.
# Production settings refuse to start without ZHISHU_FIELD_KEYS, ZHISHU_HASH_KEY and ZHISHU_DOSSIER_KEY from the environment.
DEV_FIELD_KEY = "ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="
ZHISHU_FIELD_KEYS = ZHISHU_FIELD_KEYS or [DEV_FIELD_KEY]  # noqa: F405
ZHISHU_HASH_KEY = ZHISHU_HASH_KEY or "dev-only-hash-key-not-for-production"  # noqa: F405
ZHISHU_DOSSIER_KEY = ZHISHU_DOSSIER_KEY or "dev-only-dossier-key-not-for-production"  # noqa: F405

DEBUG = False
SECRET_KEY = "test-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# No heartbeat thread in tests unless asked (the worker fault tests set it), and the fault tests
# pause hook "kind:progress:marker-file" (core.services.jobs._pause_for_tests).
ZHISHU_JOB_HEARTBEAT_SECONDS = env.int("ZHISHU_JOB_HEARTBEAT_SECONDS", default=0)
ZHISHU_TEST_JOB_PAUSE = env("ZHISHU_TEST_JOB_PAUSE", default="")
# R-DOS-2 worker test: person ids whose dossier fails to render in an export (dossiers.services.exports).
ZHISHU_TEST_DOSSIER_EXPORT_FAIL = env.list("ZHISHU_TEST_DOSSIER_EXPORT_FAIL", cast=int, default=[])
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The sweep worker test's worker processes write their mails as files in one folder, to be counted.
if env("ZHISHU_TEST_EMAIL_DIR", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("ZHISHU_TEST_EMAIL_DIR")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

import tempfile  # noqa: E402

# The worker fault tests hand their media folder to the worker process they start.
MEDIA_ROOT = env("ZHISHU_TEST_MEDIA_ROOT", default="") or tempfile.mkdtemp(prefix="zhishu-test-media-")

# django-axes keeps its failure counts in the database (rolled back after every test), so
# one test's failed logins never lock out another. Django's test Client.login() calls
# authenticate() without a request, which axes refuses by design: the test backend lets
# only that call through (core.auth_backends); every HTTP login is still watched.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AUTHENTICATION_BACKENDS = [
    "core.auth_backends.AxesTestClientBackend",
    "core.auth_backends.UnitModelBackend",
]
# Throttles off for the suite (the API tests make many calls a minute from one address);
# tests/core/test_auth.py switches them on with override_settings.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "auth": None, "verify": None},
}
