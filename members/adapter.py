"""allauth adapter: too many failed sign-ins is a 429 (with `Retry-After`), not a form error;
links in account e-mails (confirmation, password reset, "account exists") are on `SITE_URL`.

allauth counts failed sign-ins (`ACCOUNT_RATE_LIMITS["login_failed"]`, per address and per
account) but answers the one over the limit with the sign-in form and an error, status 200 —
so a client counting 429s sees every try "accepted". Here the refusal is the site's 429.
"""

import logging
import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from django.core.cache import cache

from core.links import on_site
from core.throttle import refused_response

logger = logging.getLogger(__name__)


# The links allauth puts in its e-mails' context, built from the request's host.
ACCOUNT_EMAIL_LINKS = ("activate_url", "password_reset_url", "signup_url", "login_url")


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Without `next`: the home page in the language the member signed in in (`/es/` from
        the Spanish sign-in page), not always the default language's."""
        url = super().get_login_redirect_url(request)
        return _in_active_language(url)

    def get_logout_redirect_url(self, request):
        return _in_active_language(super().get_logout_redirect_url(request))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return on_site(super().get_reset_password_from_key_url(key))

    def send_mail(self, template_prefix, email, context):
        context = dict(context)
        for key in ACCOUNT_EMAIL_LINKS:
            if isinstance(context.get(key), str):
                context[key] = on_site(context[key])
        return super().send_mail(template_prefix, email, context)

    def pre_authenticate(self, request, **credentials):
        key = self._get_login_attempts_cache_key(request, **credentials)
        try:
            self._login_failed_rl_usage = ratelimit.consume(
                request, app="allauth.account", action="login_failed", key=key
            )
            allowed = bool(self._login_failed_rl_usage)
            retry_after = None if allowed else _retry_after(request, "login_failed", key)
        except Exception:  # noqa: BLE001 - the cache is down: fail open, as core.throttle
            logger.warning("Sign-in rate limit unavailable", exc_info=True)
            self._login_failed_rl_usage, allowed = None, True
        if not allowed:
            raise ImmediateHttpResponse(refused_response(request, retry_after=retry_after))


def _retry_after(request, action, key):
    """Seconds until the exhausted limit of `action` lets one more try through."""
    now = time.time()
    wait = 1
    for rate in ratelimit.get_rates(app="allauth.account", action=action):
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action=action, rate=rate, key=key
        )
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:
            # Newest first: the amount-th newest try has to leave the window.
            wait = max(wait, math.ceil(history[rate.amount - 1] + rate.duration - now))
    return wait


def _in_active_language(url):
    from django.conf import settings
    from django.utils.translation import get_language

    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if url == "/" and language != settings.LANGUAGE_CODE.split("-")[0]:
        return f"/{language}/"
    return url
