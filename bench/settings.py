"""Settings for `make bench`: production-like (DEBUG off, templates cached) on a local server."""

from cocrea.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
