"""The API's throttles (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]): DRF's anon and user rates
for every request, and `api_write` for writes, per member (or address). Like core.throttle they
are off with THROTTLE_ENABLED=False and let the request through when the cache fails."""

import logging

from django.conf import settings
from rest_framework import throttling
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)


class FailOpenMixin:
    def get_rate(self):
        # Read at request time (DRF binds the rates at import), so settings can change them.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if not getattr(settings, "THROTTLE_ENABLED", True):
            return True
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - the cache is down: never refuse or fail because of it
            logger.warning("API throttle cache unavailable", exc_info=True)
            return True


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    pass


class WriteRateThrottle(FailOpenMixin, throttling.SimpleRateThrottle):
    """Unsafe methods only, per member (or per address when anonymous)."""

    scope = "api_write"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
