"""First-run settings: SQLite, Celery eager, debug on."""
from .base import *  # noqa: F403
from .base import env

# DEVELOPMENT KEYS ONLY — public in this repository, so data encrypted with them is not protected.
# Production settings refuse to start without ZHISHU_FIELD_KEYS, ZHISHU_HASH_KEY and ZHISHU_DOSSIER_KEY from the environment.
DEV_FIELD_KEY = "ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="
ZHISHU_FIELD_KEYS = ZHISHU_FIELD_KEYS or [DEV_FIELD_KEY]  # noqa: F405
ZHISHU_HASH_KEY = ZHISHU_HASH_KEY or "dev-only-hash-key-not-for-production"  # noqa: F405
ZHISHU_DOSSIER_KEY = ZHISHU_DOSSIER_KEY or "dev-only-dossier-key-not-for-production"  # noqa: F405

DEBUG = env.bool("DJANGO_DEBUG", default=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
