"""Settings shared by every environment. Everything configurable comes from the environment;
each variable is listed with its default in `.env.example`."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .environment import env, env_bool, env_list
from .sign_in import social_providers

BASE_DIR = Path(__file__).resolve().parent.parent.parent


SECRET_KEY = env("SECRET_KEY", "dev-insecure-secret-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

DATABASE_URL = env("DATABASE_URL", "")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)
    if DATABASE_URL
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        # BEGIN IMMEDIATE: concurrent writers queue instead of reading stale counts.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

INSTALLED_APPS = [
    # Ours, from the apps that use to the apps that are used (docs/architecture.md).
    "demo",
    "privacy",
    "insights",
    "mailings",
    "integrations",
    "notifications",
    "reputation",
    "moderation",
    "voting",
    "ideas",
    "campaigns",
    "cms",
    "segments",
    "members",
    "core",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.openid_connect",
    "django_comments_xtd",
    "django_comments",
    "rest_framework",
    "csp",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]
if USING_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # The request's Wagtail site from the cache (cms/routing.py).
    "cms.routing.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Page views and unique visitors, counted by Cocrea (no IP stored; insights/counters.py).
    "insights.counters.VisitCounterMiddleware",
    # Anonymous pages from the cache (cms.pagecache); innermost, so the middleware above adds
    # its headers and cookies (CSRF, CSP nonce, Vary) to a cached page as to any other.
    "cms.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "cocrea.urls"
WSGI_APPLICATION = "cocrea.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cms.context_processors.site_chrome",
            ],
        },
    },
]

AUTH_USER_MODEL = "members.User"
# Customer tiers members can have (profile, segments, imports): (value, label).
MEMBER_TIERS = [
    (tier.strip().lower(), tier.strip())
    for tier in env_list("MEMBER_TIERS", "Basic,Plus,Premium,Business")
]
# Keeping spam out (ideas.holds): posts with these words or links to these domains are held
# for review; moderators add more in Settings › Content rules. NEW_MEMBER_HELD_POSTS: hold a
# member's posts until this many were published (0: only where a campaign asks).
BLOCKED_WORDS = env_list("BLOCKED_WORDS", "")
BLOCKED_DOMAINS = env_list("BLOCKED_DOMAINS", "")
NEW_MEMBER_HELD_POSTS = int(env("NEW_MEMBER_HELD_POSTS", "0"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's and allauth's backends, loading the member with their suspension state (one query).
AUTHENTICATION_BACKENDS = [
    "members.backends.MemberBackend",
    "members.backends.MemberAllauthBackend",
]

# Accounts (django-allauth)
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
# allauth's own limits (login, sign-up, password reset), in its format amount/window/who, where
# "key" is the e-mail address tried. They are counted in the cache: in production Redis, so every
# process shares them (a per-process memory cache would multiply them by the number of workers).
# A failed sign-in over `login_failed` is a 429 (members.adapter), as every other limit.
ACCOUNT_RATE_LIMITS = {
    "login": env("THROTTLE_LOGIN", "30/m/ip"),
    "login_failed": env("THROTTLE_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": env("THROTTLE_SIGNUP", "20/m/ip"),
    "confirm_email": env("THROTTLE_CONFIRM_EMAIL", "1/3m/key"),
    "reset_password": env("THROTTLE_RESET_PASSWORD", "20/m/ip,5/m/key"),
    "reset_password_from_key": env("THROTTLE_RESET_PASSWORD_FROM_KEY", "20/m/ip"),
}
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0: use REMOTE_ADDR).
# allauth, DRF and core.throttle read the client's address the same way.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_USERNAME_MIN_LENGTH = 3
# Sign-in with Google, Microsoft, GitHub or the brand's OpenID Connect server (docs/sign-in.md):
# a provider is on when its <NAME>_CLIENT_ID and <NAME>_CLIENT_SECRET are set. A first social
# sign-in always shows the sign-up form (the code of conduct to accept, the username to pick);
# e-mail verification follows ACCOUNT_EMAIL_VERIFICATION (an address the provider vouches for
# is verified). SOCIAL_LOGIN_BY_EMAIL: a provider's verified address signs in the member who
# has it (and connects the account) instead of asking them to sign in first.
SOCIALACCOUNT_PROVIDERS, SOCIAL_SIGN_IN_ORIGINS = social_providers(os.environ)
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = env_bool("SOCIAL_LOGIN_BY_EMAIL", False)
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = SOCIALACCOUNT_EMAIL_AUTHENTICATION
SOCIALACCOUNT_FORMS = {"signup": "members.social.SocialSignupForm"}
SOCIALACCOUNT_ADAPTER = "members.social.SocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False
# The identify link (docs/sign-in.md): a brand's app signs its customers in with a short-lived
# JWT signed with IDENTIFY_SECRET; off while the secret is empty.
# IDENTIFY_ISSUER: the `iss` the tokens must carry (empty: not checked). A token lives at most
# IDENTIFY_MAX_AGE_SECONDS (clocks may differ by IDENTIFY_LEEWAY_SECONDS). IDENTIFY_TRUST_EMAIL:
# the brand vouches for its customers' addresses, so a link signs in the member who verified that
# address here, and new members' addresses count as verified.
IDENTIFY_SECRET = env("IDENTIFY_SECRET", "")
IDENTIFY_ISSUER = env("IDENTIFY_ISSUER", "")
IDENTIFY_MAX_AGE_SECONDS = int(env("IDENTIFY_MAX_AGE_SECONDS", "300"))
IDENTIFY_LEEWAY_SECONDS = int(env("IDENTIFY_LEEWAY_SECONDS", "30"))
IDENTIFY_TRUST_EMAIL = env_bool("IDENTIFY_TRUST_EMAIL", False)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cocrea] "
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Idea images are served by Django after the audience check (ideas/media.py); behind nginx, set
# this to an `internal` location aliased to MEDIA_ROOT and nginx sends the file after the check.
MEDIA_ACCEL_REDIRECT_PREFIX = env("MEDIA_ACCEL_REDIRECT_PREFIX", "")
# Media on the local disk by default; in an S3-compatible bucket (AWS S3, MinIO, R2, Scaleway…)
# when AWS_STORAGE_BUCKET_NAME is set, so that every web process sees the same files
# (docs/operations.md). The bucket stays private: files are read through Django (idea images)
# or by short-lived signed URLs.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env("AWS_S3_REGION_NAME", "") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", "") or None,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(env("AWS_QUERYSTRING_EXPIRE", "600")),
            "file_overwrite": False,
        },
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

# Uploads: ideas carry at most one image; anything larger is refused with a message.
IDEA_IMAGE_MAX_BYTES = int(env("IDEA_IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
IDEA_IMAGE_MAX_PIXELS = int(env("IDEA_IMAGE_MAX_PIXELS", str(24_000_000)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Throttling of the site's writes (core.throttle): amount/window/who, who = member or ip, window
# s, m, h, d (5m: five minutes). A request over any limit of its scope is answered 429.
# Moderation: flags from this many members hide an idea or comment until a moderator decides.
MODERATION_HIDE_AT_FLAGS = int(env("MODERATION_HIDE_AT_FLAGS", "3"))
THROTTLE_ENABLED = env_bool("THROTTLE_ENABLED", True)
THROTTLE_RATES = {
    "idea_submit": env("THROTTLE_IDEA_SUBMIT", "10/h/member,30/h/ip"),
    "vote": env("THROTTLE_VOTE", "60/m/member,120/m/ip"),
    "comment": env("THROTTLE_COMMENT", "10/m/member,30/m/ip"),
    "flag": env("THROTTLE_FLAG", "20/h/member,60/h/ip"),
    "appeal": env("THROTTLE_APPEAL", "10/h/member,30/h/ip"),
    "react": env("THROTTLE_REACT", "60/m/member,120/m/ip"),
    "idea_edit": env("THROTTLE_IDEA_EDIT", "30/h/member,60/h/ip"),
    "follow": env("THROTTLE_FOLLOW", "60/m/member,120/m/ip"),
    # Profile, notification settings, account deletion; the data export is a heavy download.
    "account": env("THROTTLE_ACCOUNT", "30/h/member,60/h/ip"),
    "data_export": env("THROTTLE_DATA_EXPORT", "5/h/member,10/h/ip"),
    # Marking notifications read (the centre's buttons, opening one from the list).
    "notifications_read": env("THROTTLE_NOTIFICATIONS_READ", "120/m/member,240/m/ip"),
    # The product team marking comments helpful.
    "helpful": env("THROTTLE_HELPFUL", "60/m/member,120/m/ip"),
    # Identify links from the brand's app (members.identify), per address.
    "identify": env("THROTTLE_IDENTIFY", "30/m/ip"),
}

# Cache: Redis when configured (rate limits are shared between processes), memory otherwise.
# The cache only speeds things up (docs/reliability.md): with Redis away every lookup is a miss,
# decided within CACHE_SOCKET_TIMEOUT seconds, and Redis is skipped for a moment after a failure.
REDIS_URL = env("REDIS_URL", "")
CACHE_SOCKET_TIMEOUT = float(env("CACHE_SOCKET_TIMEOUT", "0.25"))
CACHES = {
    "default": {
        "BACKEND": "core.cache.FaultTolerantRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            "socket_timeout": CACHE_SOCKET_TIMEOUT,
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Who sees what is decided from PostgreSQL; the cache keeps a copy of the audience generation
# this long, which bounds how late a change the cache missed during an outage is seen.
AUDIENCE_GENERATION_CACHE_SECONDS = 5
# Whole pages for anonymous visitors (cms.pagecache): kept this many seconds at most (0: off),
# and dropped at once when anything they show changes. Cookies the server never reads (a
# brand's analytics) can be listed so that visitors who carry them are still served the cache.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_IGNORED_COOKIES = env_list("PAGE_CACHE_IGNORED_COOKIES", "")
# How long the community dashboard keeps a panel's figures for the same filters (docs/kpis.md).
INSIGHTS_CACHE_SECONDS = int(env("INSIGHTS_CACHE_SECONDS", "300"))
# How often the worker computes the unfiltered and per-campaign dashboards ahead (< the above).
INSIGHTS_WARM_SECONDS = float(env("INSIGHTS_WARM_SECONDS", "240"))
# A CDN or caching proxy in front of the site is told when a page changes (Wagtail's frontend
# cache): an HTTP PURGE to FRONTEND_CACHE_PURGE_URL (Varnish, nginx, Fastly's own), Cloudflare
# or CloudFront, each by configuration; nothing is purged when none is set.
WAGTAILFRONTENDCACHE = {}
if env("FRONTEND_CACHE_PURGE_URL", ""):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
    }
if env("CLOUDFLARE_ZONE_ID", ""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env("CLOUDFLARE_API_TOKEN", ""),
        "ZONEID": env("CLOUDFLARE_ZONE_ID"),
    }
if env("CLOUDFRONT_DISTRIBUTION_ID", ""):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env("CLOUDFRONT_DISTRIBUTION_ID"),
    }
# Sessions live in PostgreSQL, read through the cache (core/sessions.py: a signed-in page costs
# no session query); a Redis outage signs nobody out, the session is read from the database.
SESSION_ENGINE = "core.sessions"

# Background work (Celery). Without REDIS_URL, tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "cocrea")
CELERY_TIMEZONE = TIME_ZONE
# A web request must not hang when Redis is down: publishing fails fast and the outbox sweep
# sends the work later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
# Outbox: events and e-mails not picked up within this many seconds are swept up again.
OUTBOX_GRACE_SECONDS = int(env("OUTBOX_GRACE_SECONDS", "30"))
OUTBOX_SWEEP_SECONDS = float(env("OUTBOX_SWEEP_SECONDS", "60"))
# E-mail campaigns (docs/mailings.md): e-mails per second a campaign is sent at (0: no limit).
MAILING_RATE_PER_SECOND = float(env("MAILING_RATE_PER_SECOND", "10"))
CELERY_BEAT_SCHEDULE = {
    # Events, e-mails, digests, webhooks and campaign e-mails left behind (core.outbox).
    "outbox-sweep": {"task": "core.tasks.outbox_sweep", "schedule": OUTBOX_SWEEP_SECONDS},
    "daily-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "args": ["daily"],
    },
    "segments-nightly": {
        "task": "segments.tasks.segments_refresh_all",
        "schedule": crontab(hour=3, minute=30),
    },
    # The dashboard's roll-up (insights.rollup): refreshed hourly (today's rows), rebuilt
    # nightly; only the time since the last refresh is counted live.
    "insights-rollup": {"task": "insights.tasks.rollup_votes", "schedule": crontab(minute=5)},
    "insights-rollup-nightly": {
        "task": "insights.tasks.rollup_rebuild",
        "schedule": crontab(hour=2, minute=45),
    },
    "insights-warm": {"task": "insights.tasks.dashboard_warm", "schedule": INSIGHTS_WARM_SECONDS},
    "publish-scheduled": {
        "task": "cms.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    "weekly-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
        "args": ["weekly"],
    },
}

# E-mail: EMAIL_URL-free; plain settings with console backend as the dev default.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "tmp" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Cocrea <noreply@cocrea.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = env("SITE_NAME", "Cocrea")
# No Gravatar: the admin would load every avatar from gravatar.com (a third party learning who
# works in the admin, and broken images offline or behind a strict network). Members without an
# uploaded avatar get Wagtail's default one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The site's public address (scheme, host, port): every absolute link in e-mails, feeds, the API
# and Wagtail's admin starts with it (`core.links`). BASE_URL is the older name, still read.
# `make run` sets it from its PORT; `core.sites.sync_sites` makes the Site records follow it.
SITE_URL = (env("SITE_URL", "") or env("BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
BASE_URL = SITE_URL
WAGTAILADMIN_BASE_URL = SITE_URL
# After `migrate`, point Wagtail's default Site and django.contrib.sites' Site at SITE_URL; by
# default only when SITE_URL (or BASE_URL) was given, so a deployment that sets neither keeps
# the Site records it has.
SITE_SYNC_ON_MIGRATE = env_bool(
    "SITE_SYNC_ON_MIGRATE", bool(env("SITE_URL", "") or env("BASE_URL", ""))
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = IDEA_IMAGE_MAX_BYTES
# Pages are translated with Wagtail's own localisation: each language has its page tree
# (the Spanish one served at /es/), made with "Translate" (wagtail.contrib.simple_translation).
# See docs/translation.md.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Translating a page copies its parents too (a campaign brings the campaign index along).
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
# Approving the article workflow publishes (editors only submit): cms/workflows.py.
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.workflows.publish_approved"
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TAGGIT_CASE_INSENSITIVE = True

# Discussion (django-comments-xtd). Its own e-mails are off: notifications go through Celery.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2  # three levels: comment, reply, reply to reply
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_SEND_HTML_EMAIL = False
COMMENTS_XTD_SALT = env("COMMENTS_XTD_SALT", "cocrea-comments-salt").encode()
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "allow_flagging": True,
        "allow_feedback": True,
        "show_feedback": True,
        "who_can_post": "users",
    }
}
COMMENTS_PER_PAGE = 20  # top-level threads per page on an idea

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Reads per visitor (anon, by address) or per token/member (user); writes on top of that
    # per member or address (api_write). Over a rate: 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "integrations.api.throttles.AnonRateThrottle",
        "integrations.api.throttles.UserRateThrottle",
        "integrations.api.throttles.WriteRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", "120/minute"),
        "user": env("API_THROTTLE_USER", "600/minute"),
        "api_write": env("API_THROTTLE_WRITE", "60/minute"),
    },
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cocrea API",
    "DESCRIPTION": "Campaigns, ideas, stages and the roadmap of this Cocrea site.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["integrations.schema.only_public_api"],
    # Swagger UI is served from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # 3.1: nullable references are expressed in a way every validator understands.
    "OAS_VERSION": "3.1.0",
}
INSTALLED_APPS.append("drf_spectacular_sidecar")

# Webhooks: a failed delivery is retried after base × 1, 6, 30, 180, 720… seconds (10 s, 1 min,
# 5 min, 30 min, 2 h…) and marked failed after WEBHOOK_MAX_ATTEMPTS attempts.
WEBHOOK_RETRY_BASE_SECONDS = float(env("WEBHOOK_RETRY_BASE_SECONDS", "10"))
WEBHOOK_MAX_ATTEMPTS = int(env("WEBHOOK_MAX_ATTEMPTS", "8"))
WEBHOOK_TIMEOUT_SECONDS = float(env("WEBHOOK_TIMEOUT_SECONDS", "10"))

# Cookies and security headers, the Content-Security-Policy among them.
from .headers import *  # noqa: E402, F403

# The social sign-in buttons post to us and are redirected to the provider's page.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += SOCIAL_SIGN_IN_ORIGINS  # noqa: F405

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
        # Tasks run in-process without Redis: one "Task … succeeded" line each is noise there.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
