from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One process runs the suite: an in-memory cache keeps tests isolated from each other.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# An in-memory cache never misses a write, so its copy of the audience generation needs no
# expiry (the outage tests point the cache at Redis and set it back to seconds).
AUDIENCE_GENERATION_CACHE_SECONDS = None
# Eager by default; the tests about the real worker switch this off around themselves.
CELERY_TASK_ALWAYS_EAGER = True
ACCOUNT_RATE_LIMITS = False
# Off like allauth's: the throttling tests switch them on around themselves.
THROTTLE_ENABLED = False
SITE_URL = BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# The test database keeps the Site records the factories give it (tests/core/test_site_url.py
# runs the sync itself).
SITE_SYNC_ON_MIGRATE = False
# Figures are computed on every request in tests (tests/insights switch the cache on).
INSIGHTS_CACHE_SECONDS = 0
# No page cache in tests but those about it (tests/cms/test_page_cache.py) and runs with
# `--page-cache` (tests/conftest.py), which switch it on.
PAGE_CACHE_SECONDS = 0
