from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_URL, REDIS_URL, SECRET_KEY, env, env_bool

DEBUG = False

if not SECRET_KEY or SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value (50+ characters).")
if not DATABASE_URL:
    raise ImproperlyConfigured("Set DATABASE_URL: production runs on PostgreSQL.")
if not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL: production needs Redis for Celery and the cache.")

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
STORAGES = {
    **STORAGES,  # noqa: F405 (media on disk or in a bucket: base.py)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# Preloading HSTS is a one-way decision for the domain; it stays opt-in.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
