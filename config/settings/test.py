"""Test settings: DATABASE_URL points at PostgreSQL in CI; SQLite otherwise."""
from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# No heartbeat thread in tests unless asked (the worker fault tests set it), and the fault tests
# pause hook "kind:progress:marker-file" (core.services.jobs._pause_for_tests).
ZHISHU_JOB_HEARTBEAT_SECONDS = env.int("ZHISHU_JOB_HEARTBEAT_SECONDS", default=0)
ZHISHU_TEST_JOB_PAUSE = env("ZHISHU_TEST_JOB_PAUSE", default="")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

import tempfile  # noqa: E402

# The worker fault tests hand their media folder to the worker process they start.
MEDIA_ROOT = env("ZHISHU_TEST_MEDIA_ROOT", default="") or tempfile.mkdtemp(prefix="zhishu-test-media-")
