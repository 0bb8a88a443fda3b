from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language
from wagtail.models import Page, Site

from core.locales import locale_id, localized_for_search
from segments.audience import visible_pages

from . import search as search_providers

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()
    error = ""
    context = {"pages": None}
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Please use at most %(n)d characters.") % {"n": MAX_QUERY_LENGTH}
    elif query:
        # Only live pages without view restrictions are searchable; of those, only what the
        # audience policy lets this visitor see. Other results (ideas) come from providers.
        # Each page once, in the reader's language when translated (`localized_for_search`).
        pages = visible_pages(localized_for_search(Page.objects.live().public()), request.user)
        context["pages"] = list(pages.specific().search(query)[:20])
        context.update(search_providers.results(request, query))
        search_providers.searched(request, query, search_providers.found_anything(context))
    return render(request, "pages/search.html", {"query": query, "error": error, **context})


def set_language(request):
    """Django's set_language, then to the page's translation when the page has one in the
    chosen language: from /campaigns/savings/ideas/4/ to /es/campanas/ahorro/ideas/4/ even when
    the Spanish campaign has another slug. The form sends the path without its language prefix
    (`next`) and the language it was shown in (`from_language`)."""
    response = django_set_language(request)
    if request.method == "POST" and response.status_code == 302:
        address = _translated_address(
            request,
            request.POST.get("next", ""),
            request.POST.get("from_language") or settings.LANGUAGE_CODE,
            request.POST.get("language", ""),
        )
        if address:
            response["Location"] = address
    return response


def _prefix(language):
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def _translated_address(request, path, from_language, to_language):
    """The address of what `path` shows (in `from_language`'s tree) in `to_language`'s, or ""
    when it is not a page or has no live translation (then Django's answer stands)."""
    languages = {code for code, _name in settings.LANGUAGES}
    if from_language not in languages or to_language not in languages:
        return ""
    if not url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return ""
    path, _sep, query = path.partition("?")
    site = Site.find_for_request(request)
    from_locale, to_locale = locale_id(from_language), locale_id(to_language)
    if site is None or from_locale is None or to_locale is None:
        return ""
    root = site.root_page.get_translation_or_none(from_locale) or site.root_page
    try:
        page = root.specific.route(request, [part for part in path.split("/") if part])[0]
    except Http404:
        return ""
    translation = page.get_translation_or_none(to_locale)
    if translation is None or not translation.live:
        return ""
    page_path = (page.get_url(request) or "").removeprefix(_prefix(from_language))
    address = translation.get_url(request)
    if not address or not path.startswith(page_path):
        return ""
    return address + path[len(page_path) :] + (f"?{query}" if query else "")
