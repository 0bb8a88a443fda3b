from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

from ideas.models import Idea

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()
    error = ""
    pages = ideas = None
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Please use at most %(n)d characters.") % {"n": MAX_QUERY_LENGTH}
    elif query:
        # Only live pages without view restrictions, and only public ideas, are searchable.
        pages = Page.objects.live().public().specific().search(query)[:20]
        idea_results = Idea.objects.public().search(query)
        ideas = Paginator(idea_results, 20).get_page(request.GET.get("page"))
        if ideas.object_list:
            by_pk = {
                idea.pk: idea
                for idea in Idea.objects.filter(
                    pk__in=[i.pk for i in ideas.object_list]
                ).select_related("stage", "campaign", "author")
            }
            ideas.object_list = [by_pk[i.pk] for i in ideas.object_list if i.pk in by_pk]
    return render(
        request,
        "pages/search.html",
        {"query": query, "pages": pages, "ideas": ideas, "error": error},
    )
