"""Wagtail's routing without its queries on every request: the request's `Site` (with its root
page, as its specific page) and the pages a fast route finds by URL path, read from the cache.

The cached objects are keyed by a *routing version* that any page or site change replaces (a
save, even of a few fields, a deletion, publishing, unpublishing, a move): at once and again after
commit, so a request running meanwhile cannot keep the old object cached. Entries also expire
after ROUTE_CACHE_SECONDS, which bounds what a version change lost to a Redis outage could
leave. Without Redis, everything is read from the database as before. Each request unpickles its
own copy: nothing computed for one request (cached properties) is seen by another."""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "routing:version"
ROUTE_CACHE_SECONDS = 60
_MISSING = "missing"


def routing_version():
    """The current routing version, None when the cache is away (then nothing is cached)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(VERSION_KEY)
    return version


def routing_changed():
    cache.set(VERSION_KEY, secrets.token_hex(8), None)


def _changed(**kwargs):
    routing_changed()
    transaction.on_commit(routing_changed)


def _saved_or_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page | Site):
        _changed()


def connect():
    post_save.connect(_saved_or_deleted, dispatch_uid="cms-routing-save")
    post_delete.connect(_saved_or_deleted, dispatch_uid="cms-routing-delete")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_changed, dispatch_uid=f"cms-routing-{id(signal)}")


def _load_site(hostname, port):
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    site.root_page = site.root_page.specific  # Wagtail's routing asks for it next
    return site


def site_for_request(request):
    """What `Site.find_for_request` answers, from the cache when it can."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    version = routing_version()
    if version is None:
        return _load_site(hostname, port)
    key = f"routing:{version}:site:{hostname}:{port}"
    site = cache.get(key)
    if site is None:
        site = _load_site(hostname, port)
        if site is not None:
            cache.set(key, site, ROUTE_CACHE_SECONDS)
    return site


def cached_page(name, url_path, load):
    """`load()` (a page, or None), cached under `name` and `url_path` for the routing version."""
    version = routing_version()
    if version is None:
        return load()
    key = f"routing:{version}:{name}:{url_path}"
    page = cache.get(key)
    if page is None:
        page = load()
        cache.set(key, _MISSING if page is None else page, ROUTE_CACHE_SECONDS)
    return None if page == _MISSING else page


class SiteMiddleware:
    """Gives the request its Wagtail site (`request._wagtail_site`, which
    `Site.find_for_request` reads) from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in _PROBES:
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


# The health probes answer without the database or the cache (core.views.health, ready):
# no site for them, not even from the cache (a miss would query).
_PROBES = frozenset({"/health/", "/ready/"})
