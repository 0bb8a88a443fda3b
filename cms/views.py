from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

from ideas.models import Idea
from members.audience import visible_ideas, visible_pages

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()
    error = ""
    pages = ideas = None
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Please use at most %(n)d characters.") % {"n": MAX_QUERY_LENGTH}
    elif query:
        # Only live pages without view restrictions, and only public ideas, are searchable; of
        # those, only what the audience policy lets this visitor see.
        pages = visible_pages(Page.objects.live().public(), request.user)
        pages = pages.specific().search(query)[:20]
        idea_results = visible_ideas(Idea.objects.public(), request.user).search(query)
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
