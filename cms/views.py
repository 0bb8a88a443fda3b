from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

from core.locales import localized_for_search
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
