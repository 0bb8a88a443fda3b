"""Whole pages for anonymous visitors, kept in the cache for PAGE_CACHE_SECONDS (0: off).

Who gets a cached page: a GET with no cookie but the CSRF and language cookies (and those in
PAGE_CACHE_IGNORED_COOKIES) and no Authorization header. Any other cookie (the session cookie
above all: a member, or a visitor whose session holds something) means the page is made for
that request and never stored.

What is stored: a 200 from one of the public views in `CACHED_VIEWS`, without cookies of its
own, without `Cache-Control: private / no-store / no-cache / max-age=0`, that varies on nothing
but what the key holds, that touched neither the session nor the messages, and that was made
for an anonymous user.

The key: scheme, host, path and query string, the language and the htmx headers. An entry
holds the *page generation* (below) and the *audience generation* (segments.membership, kept in
PostgreSQL) it was made at, and is served only while both are still the same (the three are
read in one round trip).

Two things on a page belong to one request and never go into the cache as they were:

* the CSRF token (the language switcher and the `hx-headers` of every page carry one): the
  masked tokens of the request's secret are found in the body (a token is recognised by
  unmasking it: nothing else can match) and replaced by a random marker; each request served
  from the cache gets a token of its own in their place (`get_token`: the visitor's own secret,
  a new one when they have none, and CsrfViewMiddleware sets their cookie as for any page). A
  page that would still hold the secret is not stored;
* the Content-Security-Policy nonce: replaced by a marker the same way and by a new nonce on
  each serve (CSPMiddleware, outside this one, puts that nonce in the header).

Headers the other middleware add (CSP, Vary, Content-Language, cookies) are added to a cached
page on each request as to any other: this middleware sits innermost.

The page generation changes (a random value in the cache) whenever something anonymous
visitors may see changes: any database write (INSERT, UPDATE, DELETE, however it is made:
`save()`, `update()`, `bulk_create()`, raw SQL as for votes; from a web process, a worker or a
command) to a table outside `UNSEEN_MODELS`, so ideas, votes, comments, pages published or
unpublished, segments, stages, campaign settings, translations… It is watched by a wrapper
around every statement of every connection (`connection.execute_wrappers`). It changes at once
and again after commit, so a page made by another process from the old rows in between is not
used. With Redis away nothing is stored
or served (the cache answers misses); a change the cache missed during an outage is seen within
PAGE_CACHE_SECONDS, or at once when it is an audience change (the audience generation is read
from PostgreSQL)."""

import hashlib
import logging
import re
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, patch_vary_headers

from segments.membership import GENERATION_KEY as AUDIENCE_GENERATION_KEY
from segments.membership import generation as audience_generation

log = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page:"
# Views whose anonymous answers are the same for every visitor (the site's pages, feeds,
# sitemap). The search page is not here: it counts the searches that found nothing.
CACHED_VIEWS = frozenset(
    {
        "wagtail.views.serve",
        "wagtail.contrib.sitemaps.views.sitemap",
        "ideas.feeds.ChangelogFeed",
        "ideas.feeds.ChangelogAtomFeed",
        "ideas.feeds.CampaignFeed",
        "ideas.feeds.CampaignAtomFeed",
        "django.views.generic.base.TemplateView",
    }
)
# Request headers a view may answer differently to (django-htmx fragments).
KEY_HEADERS = (
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_HX_TRIGGER_NAME",
    "HTTP_HX_BOOSTED",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
)
# What a view may say it varies on: the key holds the language and the htmx headers, and only
# requests without a session or messages cookie are served.
VARY_KEPT = frozenset(
    {"cookie", "accept-language", "hx-request", "hx-target", "hx-trigger", "hx-boosted"}
)
# Saving these never changes what an anonymous visitor sees (and some are written while pages
# are read: sessions, visit counters, image renditions, embeds).
UNSEEN_APPS = frozenset(
    {"sessions", "insights", "notifications", "admin", "contenttypes", "socialaccount"}
)
UNSEEN_MODELS = frozenset(
    {
        "account.emailaddress",
        "account.emailconfirmation",
        "authtoken.token",
        "ideas.event",
        "ideas.ideadraft",
        "ideas.internalnote",
        "integrations.webhookdelivery",
        "mailings.marketingdelivery",
        "members.consentrecord",
        "members.externalidentity",
        "members.usedidentifytoken",
        "segments.audiencegeneration",  # in the key itself
        "segments.segmentmembership",  # members only
        "wagtailadmin.editingsession",
        "wagtailcore.modellogentry",
        "wagtailcore.pagelogentry",
        "wagtailcore.pagesubscription",
        "wagtailcore.referenceindex",
        "wagtailcore.revision",  # a draft; publishing saves the page
        "wagtailcore.taskstate",
        "wagtailcore.workflowstate",
        "wagtailembeds.embed",
        "wagtailimages.rendition",
        "wagtailsearch.indexentry",
        "wagtailusers.userprofile",
    }
)
MAX_BYTES = 2 * 1024 * 1024
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_CSP_ATTRIBUTES = (
    "_csp_exempt",
    "_csp_exempt_ro",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)

# This process's counts (tests and `--page-cache` runs read them).
stats = {"hit": 0, "miss": 0, "stored": 0}


def seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0


# The page generation -------------------------------------------------------------------------


def _new_generation():
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def content_changed(using=DEFAULT_DB_ALIAS):
    """Something anonymous visitors may see changed: pages cached before are not served again
    (now, and again after commit: a page another process made from the old rows meanwhile is
    not used either)."""
    if not seconds():
        return
    _new_generation()
    connection = connections[using]
    if connection.in_atomic_block:
        pending = connection.run_on_commit[-3:]
        if not any(entry[1] is _new_generation for entry in pending):
            transaction.on_commit(_new_generation, using=using)


_WRITE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?"?([A-Za-z0-9_.]+)"?', re.IGNORECASE
)
_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE")
_ANY_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.IGNORECASE)
_unseen_tables = None


def _unseen():
    global _unseen_tables
    if _unseen_tables is None:
        _unseen_tables = frozenset(
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in UNSEEN_APPS or model._meta.label_lower in UNSEEN_MODELS
        )
    return _unseen_tables


def changes_what_visitors_see(sql):
    """Does this statement write a table other than those in UNSEEN_MODELS? Every write counts,
    however it is made: `save()`, `update()`, `bulk_create()`, raw SQL (votes)."""
    if not isinstance(sql, str):
        return True
    text = sql.lstrip()
    head = text[:16].upper()
    if head.startswith(("WITH", "--", "/*")):  # a CTE, or a comment first: any write counts
        return bool(_ANY_WRITE.search(text))
    if not head.startswith(_WRITES):
        return False
    match = _WRITE.match(text)
    if match is None:  # MERGE, TRUNCATE, a quoting this does not read: counted as a change
        return True
    return match.group(1).split(".")[-1] not in _unseen()


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if seconds() and changes_what_visitors_see(sql):
        content_changed(context["connection"].alias)
    return result


def _connection_created(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect():
    """Watch every database write (each connection, from its creation)."""
    connection_created.connect(_connection_created, dispatch_uid="pagecache.writes")
    for connection in connections.all(initialized_only=True):
        _connection_created(None, connection)


def _lookup(key):
    """(the generations now, the stored entry or None) in one round trip; (None, None) when
    the cache is away."""
    found = cache.get_many([GENERATION_KEY, AUDIENCE_GENERATION_KEY, key])
    page = found.get(GENERATION_KEY)
    if page is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        page = cache.get(GENERATION_KEY)
        if page is None:  # Redis is away: nothing is stored or served
            return None, None
    audience = found.get(AUDIENCE_GENERATION_KEY)
    if audience is None:
        audience = audience_generation()
    generations = (page, audience)
    entry = found.get(key)
    if entry is not None and entry.get("generations") != generations:
        entry = None  # made before a change
    return generations, entry


# The middleware ------------------------------------------------------------------------------


def _served_from_cache(request):
    """May this request get (and leave) a cached page? Only a visitor nobody can tell apart."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    known = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    known.update(getattr(settings, "PAGE_CACHE_IGNORED_COOKIES", ()))
    return all(name in known for name in request.COOKIES)


def _cached_view(request):
    """Is the address one of CACHED_VIEWS? (Other pages never touch the cache.)"""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match._func_path in CACHED_VIEWS


def _key(request):
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        getattr(request, "LANGUAGE_CODE", ""),
        *(request.META.get(header, "") for header in KEY_HEADERS),
    ]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return KEY_PREFIX + digest


def _refusal(request, response):
    """Why this response may not be stored (None: it may)."""
    if response.status_code != 200:
        return "status"
    if response.streaming or response.cookies or response.has_header("Set-Cookie"):
        return "cookies or streaming"
    match = getattr(request, "resolver_match", None)
    if match is None or match._func_path not in CACHED_VIEWS:
        return "view"
    control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-store", "no-cache"}:
        return "cache-control"
    if "max-age=0" in response.get("Cache-Control", "").replace(" ", "").lower():
        return "cache-control"
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part}
    if vary - VARY_KEPT:
        return "vary"
    session = getattr(request, "session", None)
    if session is not None and (session.modified or session.session_key):
        return "session"
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage._queued_messages or storage.added_new):
        return "messages"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "user"
    if len(response.content) > MAX_BYTES:
        return "size"
    return None


def _entry(request, response):
    """What is stored: the body with this request's CSRF tokens and nonce replaced by markers."""
    body = response.content
    csrf_marker = nonce_marker = None
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        csrf_marker = secrets.token_hex(32).encode()

        def masked(match):
            token = match.group(0).decode()
            return csrf_marker if _unmask_cipher_token(token) == secret else match.group(0)

        body = _TOKEN.sub(masked, body)
        if csrf_marker not in body:
            csrf_marker = None
        if secret.encode() in body:
            return None
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):
        nonce_marker = secrets.token_hex(12).encode()
        body = body.replace(nonce.encode(), nonce_marker)
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in {"set-cookie", "content-length"}
    ]
    csp = {name: getattr(response, name) for name in _CSP_ATTRIBUTES if hasattr(response, name)}
    return {
        "body": body,
        "headers": headers,
        "csrf": csrf_marker,
        "nonce": nonce_marker,
        "csp": csp,
    }


def _response(request, entry):
    from django.http import HttpResponse

    body = entry["body"]
    if entry["csrf"]:
        body = body.replace(entry["csrf"], get_token(request).encode())
    if entry["nonce"]:
        body = body.replace(entry["nonce"], str(request.csp_nonce).encode())
    response = HttpResponse(body)
    for name, value in entry["headers"]:
        response[name] = value
    for name, value in entry["csp"].items():
        setattr(response, name, value)
    # As the page made for the request says (its session was read): a shared cache downstream
    # must not give it to someone with other cookies.
    patch_vary_headers(response, ("Cookie",))
    response.page_cache = "hit"
    return response


class PageCacheMiddleware:
    """Anonymous pages from the cache (see the module's docstring). Put it last in
    MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not seconds():
            return self.get_response(request)
        if not _served_from_cache(request) or not _cached_view(request):
            return self.get_response(request)
        key = _key(request)
        generations, entry = _lookup(key)
        if generations is None:
            return self.get_response(request)
        if entry is not None:
            stats["hit"] += 1
            return _response(request, entry)
        stats["miss"] += 1
        response = self.get_response(request)
        refusal = _refusal(request, response)
        if refusal is None:
            entry = _entry(request, response)
            if entry is not None:
                entry["generations"] = generations
                cache.set(key, entry, seconds())
                stats["stored"] += 1
                response.page_cache = "stored"
        else:
            response.page_cache = f"not stored: {refusal}"
        return response
