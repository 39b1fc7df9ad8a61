"""Production settings: everything secret or site-specific comes from the environment."""
from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# R-SEC-1: no default — without its keys the site must not start (see core.crypto).
ZHISHU_FIELD_KEYS = env.list("ZHISHU_FIELD_KEYS")
ZHISHU_HASH_KEY = env("ZHISHU_HASH_KEY")
ZHISHU_DOSSIER_KEY = env("ZHISHU_DOSSIER_KEY")  # R-DOS-1: signs the printed dossiers' verification codes
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Preloading is a one-way commitment for the whole domain; the operator opts in.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# One cache for every gunicorn worker, so that API throttles count per site, not per process.
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default=env("REDIS_URL", default="redis://127.0.0.1:6379/0"))}
