"""Throttling for the site's writes: at most N requests per window, per member and per address.

A scope's limits come from settings (`THROTTLE_RATES`, filled from `.env.example`'s `THROTTLE_*`
variables) in allauth's format: ``"30/m/member,60/m/ip"`` — amount / window (``s``, ``m``,
``5m``, ``h``, ``d``) / who. Counting uses the shared cache with atomic ``add`` + ``incr``: the
window is fixed and starts at the first request, so a limit of 10 lets exactly 10 through
until the window ends, whichever process answers (the cache is Redis in production).

If the cache fails, the request is let through (fail open): a broken cache must never refuse
or break a write the member is entitled to.

Use it as a decorator (`@throttle("vote")`) or call `check(request, "vote")` and answer with
`refused_response(request, refusal)`.
"""

import functools
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_WHO = {"member", "ip"}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    who: str  # "member" or "ip"

    def __str__(self):
        return f"{self.amount}/{self.seconds}s/{self.who}"


@dataclass(frozen=True)
class Refusal:
    scope: str
    rate: Rate
    retry_after: int  # seconds until the window ends

    @property
    def message(self):
        return throttled_message(self.retry_after)


def parse_rates(text):
    """``"10/m/ip,5/5m/member"`` → [Rate(10, 60, "ip"), Rate(5, 300, "member")]."""
    rates = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        amount, window, who = ([*part.split("/"), "ip"])[:3]
        unit = window[-1]
        if unit not in _UNITS or who not in _WHO:
            raise ValueError(f"Unreadable throttle rate {part!r}")
        count = window[:-1] or "1"
        rates.append(Rate(int(amount), int(float(count) * _UNITS[unit]), who))
    return rates


def rates_for(scope):
    return parse_rates(getattr(settings, "THROTTLE_RATES", {}).get(scope, ""))


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For entry added by the trusted
    proxies (`TRUSTED_PROXY_COUNT`, shared with allauth and DRF so all three agree)."""
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _identity(request, who):
    if who == "member":
        user = getattr(request, "user", None)
        return f"m{user.pk}" if user is not None and user.is_authenticated else None
    return f"ip{client_ip(request)}"


def _hit(key, rate, now):
    """Count one request in `key`'s window; return (count, retry_after)."""
    if cache.add(key, 0, timeout=rate.seconds):
        cache.set(f"{key}:t", now, timeout=rate.seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.add(key, 0, timeout=rate.seconds)
        cache.set(f"{key}:t", now, timeout=rate.seconds)
        count = cache.incr(key)
    started = cache.get(f"{key}:t", now)
    return count, max(1, math.ceil(started + rate.seconds - now))


def check(request, scope):
    """Count this request against every limit of `scope`; a `Refusal` if one is exceeded,
    else None. Never raises because of the cache."""
    if not getattr(settings, "THROTTLE_ENABLED", True):
        return None
    refusal = None
    now = time.time()
    for rate in rates_for(scope):
        who = _identity(request, rate.who)
        if who is None:
            continue
        key = f"throttle:{scope}:{rate}:{who}"
        try:
            count, retry_after = _hit(key, rate, now)
        except Exception:  # noqa: BLE001 - any cache failure: let the request through
            logger.warning("Throttle cache unavailable; %s not throttled", scope, exc_info=True)
            return None
        if count > rate.amount and (refusal is None or retry_after > refusal.retry_after):
            refusal = Refusal(scope=scope, rate=rate, retry_after=retry_after)
    return refusal


def throttled_message(retry_after):
    if retry_after < 60:
        wait = ngettext("%(n)d second", "%(n)d seconds", retry_after) % {"n": retry_after}
    else:
        minutes = math.ceil(retry_after / 60)
        wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return _("You're doing that too often. Please wait %(wait)s and try again.") % {"wait": wait}


def refused_response(request, refusal=None, *, retry_after=None):
    """429 with `Retry-After`: a fragment htmx shows inside the element it targets (see
    static/js/cocrea.js), or a page with the message and a way back."""
    retry_after = refusal.retry_after if refusal else (retry_after or 60)
    context = {"message": throttled_message(retry_after), "retry_after": retry_after}
    if getattr(request, "htmx", False):
        response = render(request, "components/throttled.html", context, status=429)
        response["HX-Reswap"] = "beforeend"
    else:
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = ""
        response = render(request, "429.html", {**context, "back_url": back}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def throttle(scope, *, methods=("POST",)):
    """Decorate a view: requests with one of `methods` are counted against `scope`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                refusal = check(request, scope)
                if refusal is not None:
                    return refused_response(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def handler429(request, exception=None):
    """Root `handler429` (allauth answers its own limits — login, sign-up, password reset —
    through it): the same page and fragment as ours."""
    retry_after = getattr(request, "throttle_retry_after", None)
    return refused_response(request, retry_after=retry_after)
