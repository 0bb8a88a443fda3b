"""Page views, unique visitors and searches that found nothing, counted by Cocrea itself.

Privacy: no IP address or user agent is stored. A visitor is `sha256(salt + IP + user agent)`;
the salt is random, made by the day's first counted visit, and deleted (with the day's hashes,
once their number is kept) the next day, so a hash can never be linked to a person or to another
day. Counting is best effort: a write that fails (database or cache trouble) is logged and the
page is served as if nothing happened."""

import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from core.throttle import client_ip

from .models import DailySalt, DailyVisits, SearchMiss, VisitorHash

logger = logging.getLogger(__name__)

EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/api/", "/__")
BOTS = re.compile(
    r"bot|crawl|spider|slurp|fetch|curl|wget|python-|httpclient|java/|go-http|monitor|preview",
    re.IGNORECASE,
)
MAX_QUERY_LENGTH = 200

_salt_of_the_day = {}  # {day: salt}, this process's copy of today's row
# Visitors this process already stored today ({day: {digest}}): their next views are one UPDATE
# (the hash row exists). Bounded: past the limit, the insert (which ignores a duplicate) is made.
_stored_today = {}
STORED_LIMIT = 20000


def is_counted(request, response) -> bool:
    """A public GET page answered 200 with HTML, asked for by a browser (not a bot, not the
    admin, static files or the API, not an htmx fragment or a prefetch)."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    path = request.path_info
    prefixes = getattr(settings, "INSIGHTS_EXCLUDED_PREFIXES", EXCLUDED_PREFIXES)
    if any(path.startswith(prefix) for prefix in prefixes):
        return False
    agent = request.META.get("HTTP_USER_AGENT", "")
    if not agent or BOTS.search(agent):
        return False
    if request.headers.get("HX-Request") or request.headers.get("Sec-Purpose", "").startswith(
        "prefetch"
    ):
        return False
    return True


def _today_salt(day):
    salt = _salt_of_the_day.get(day)
    if salt is None:
        row, created = DailySalt.objects.get_or_create(
            day=day, defaults={"salt": secrets.token_hex(32)}
        )
        if created:
            _close_past_days(day)
        _salt_of_the_day.clear()
        _stored_today.clear()  # hashes made with another salt (or none yet)
        _salt_of_the_day[day] = salt = row.salt
    return salt


def _close_past_days(today):
    """Keep the number of unique visitors of the days before `today`, then forget their hashes
    and salts."""
    counts = (
        VisitorHash.objects.filter(day__lt=today)
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    for day, n in counts:
        DailyVisits.objects.update_or_create(day=day, defaults={"unique_visitors": n})
    VisitorHash.objects.filter(day__lt=today).delete()
    DailySalt.objects.filter(day__lt=today).delete()


def visitor_digest(salt, request) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return hashlib.sha256(f"{salt}\n{client_ip(request)}\n{agent}".encode()).hexdigest()


def visit_record(request):
    """Count one page view and the visitor (once a day): one UPDATE for a visitor this process
    already stored today, else the UPDATE and the visitor's hash in one transaction."""
    day = timezone.localdate()
    digest = visitor_digest(_today_salt(day), request)
    stored = _stored_today.get(day)
    if stored is not None and digest in stored:
        if DailyVisits.objects.filter(day=day).update(page_views=F("page_views") + 1):
            return
    with transaction.atomic():
        if not DailyVisits.objects.filter(day=day).update(page_views=F("page_views") + 1):
            DailyVisits.objects.bulk_create([DailyVisits(day=day)], ignore_conflicts=True)
            DailyVisits.objects.filter(day=day).update(page_views=F("page_views") + 1)
        VisitorHash.objects.bulk_create(
            [VisitorHash(day=day, digest=digest)], ignore_conflicts=True
        )
    if stored is None:
        _stored_today.clear()
        stored = _stored_today[day] = set()
    if len(stored) < STORED_LIMIT:
        stored.add(digest)


def normalise(query) -> str:
    return " ".join(str(query).casefold().split())[:MAX_QUERY_LENGTH]


def search_miss_record(query):
    day, text = timezone.localdate(), normalise(query)
    if not text:
        return
    with transaction.atomic():
        if SearchMiss.objects.filter(day=day, query=text).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                SearchMiss.objects.create(day=day, query=text, count=1)
        except IntegrityError:  # another request created it first
            SearchMiss.objects.filter(day=day, query=text).update(count=F("count") + 1)


def search_recorded(request, query, found):
    """cms.search listener: count the searches that found nothing (never breaks the page)."""
    if found:
        return
    try:
        search_miss_record(query)
    except Exception:  # a counter must never break the search page
        logger.warning("insights: a search miss was not counted", exc_info=True)


class VisitCounterMiddleware:
    """Counts public page views after the response is made; a failure is only logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            if is_counted(request, response):
                visit_record(request)
        except Exception:  # a counter must never break the page
            _salt_of_the_day.clear()
            _stored_today.clear()
            logger.warning("insights: a page view was not counted", exc_info=True)
        return response
