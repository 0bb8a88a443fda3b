"""Reads for the marketing pages: latest articles, and the site's navigation and footer."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Site

from core.locales import localized
from segments.audience import hidden_page_ids, visible_pages

logger = logging.getLogger(__name__)
LATEST_ARTICLES = 3
CHROME_SECONDS = 24 * 3600


def latest_articles(user, limit=LATEST_ARTICLES):
    """The newest live articles `user` may see (audience policy), image included."""
    from .models import ArticlePage

    articles = (
        localized(ArticlePage.objects.live().public())
        .select_related("image")
        .order_by("-date", "-pk")
    )
    return list(visible_pages(articles, user)[:limit])


# Navigation and footer -----------------------------------------------------------------------
#
# Every page shows them, so they come from the Django cache: a plain dict of labels and URLs,
# keyed by site and language (page URLs carry the /es/ prefix), dropped when the settings or a
# page change (cms.signals). A cold cache costs one query for the settings and one for the
# linked pages. Links to pages are filtered per visitor with the audience policy (no query:
# its answers are cached), so a targeted page's title never shows in someone else's menu.


def chrome_cache_key(site_id, language):
    return f"cms:chrome:{site_id}:{language}"


def chrome_cache_clear(site_ids=None):
    if site_ids is None:
        site_ids = list(Site.objects.values_list("pk", flat=True))
    keys = [chrome_cache_key(s, code) for s in site_ids for code, _name in settings.LANGUAGES]
    try:
        cache.delete_many(keys)
    except Exception:  # a cache outage must not break saving a page
        logger.warning("Could not clear the cached navigation", exc_info=True)


def _link(block_value, request):
    page = block_value.get("page")
    if page is not None:
        if not page.live:
            return None
        return {
            "label": block_value.get("label") or page.title,
            "url": page.get_url(request),
            "page_id": page.pk,
        }
    return {"label": block_value["label"], "url": block_value["url"], "page_id": None}


def _build_chrome(site, request):
    from .blocks import SOCIAL_NETWORKS
    from .models import SiteChrome

    chrome = {"navigation": [], "footer_text": "", "footer_links": [], "social_links": []}
    settings_row = SiteChrome.base_queryset().filter(site=site).first() if site else None
    if settings_row is None:
        return chrome
    for name in ("navigation", "footer_links"):
        links = (_link(block.value, request) for block in getattr(settings_row, name))
        chrome[name] = [link for link in links if link and link["url"]]
    networks = dict(SOCIAL_NETWORKS)
    chrome["social_links"] = [
        {
            "network": block.value["network"],
            "label": block.value["label"] or str(networks.get(block.value["network"], "")),
            "url": block.value["url"],
        }
        for block in settings_row.social_links
    ]
    chrome["footer_text"] = settings_row.footer_text
    return chrome


def site_chrome(request):
    """Navigation and footer for this request's site, as the visitor may see them."""
    cached = getattr(request, "_cocrea_chrome", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    key = chrome_cache_key(site.pk if site else 0, get_language())
    try:
        chrome = cache.get(key)
    except Exception:  # without the cache, read the database
        logger.warning("Could not read the cached navigation", exc_info=True)
        chrome = None
    if chrome is None:
        chrome = _build_chrome(site, request)
        try:
            cache.set(key, chrome, CHROME_SECONDS)
        except Exception:
            logger.warning("Could not cache the navigation", exc_info=True)
    hidden = hidden_page_ids(getattr(request, "user", None))
    if hidden:
        chrome = {
            **chrome,
            **{
                name: [link for link in chrome[name] if link["page_id"] not in hidden]
                for name in ("navigation", "footer_links")
            },
        }
    request._cocrea_chrome = chrome
    return chrome
