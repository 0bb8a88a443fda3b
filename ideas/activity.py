"""A member's activity as ideas sees it: for segment rules ("ideas submitted", "comments
written", "recently active") and the public member profile. Registered in `apps.py`."""

from django.core.paginator import Paginator
from django.db.models import CharField, Count, Exists, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django_comments_xtd.models import XtdComment

from segments.audience import anyone, visible_ideas

from .models import Idea

PROFILE_PER_PAGE = 10


def _count(rows, key):
    return Coalesce(
        Subquery(rows.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]), 0
    )


def ideas_count():
    rows = Idea.objects.filter(author=OuterRef("pk")).exclude(status=Idea.Status.WITHDRAWN)
    return _count(rows, "author")


def ideas_since(cutoff):
    return Exists(Idea.objects.filter(author=OuterRef("pk"), created_at__gte=cutoff))


def comments_count():
    rows = XtdComment.objects.filter(user=OuterRef("pk"), is_public=True, is_removed=False)
    return _count(rows, "user")


def comments_since(cutoff):
    return Exists(XtdComment.objects.filter(user=OuterRef("pk"), submit_date__gte=cutoff))


def member_ideas(*, member, viewer):
    """The member's ideas a viewer may see: all of them (but withdrawn ones) for the member,
    public ones otherwise; for both, only in campaigns the viewer may see (audience policy)."""
    ideas = Idea.objects.filter(author=member)
    if not (viewer.is_authenticated and viewer.pk == member.pk):
        ideas = ideas.public()
    else:
        ideas = ideas.exclude(status=Idea.Status.WITHDRAWN)
    ideas = visible_ideas(ideas, viewer)
    return ideas.select_related("stage", "campaign").order_by("-created_at", "-pk")


def member_comments(*, member, viewer=None):
    """The member's public comments on ideas `viewer` may see (None: judged for anyone)."""
    # object_pk is text in django-comments: compare against the ids cast to text.
    public_idea_ids = (
        visible_ideas(Idea.objects.public(), viewer if viewer is not None else anyone())
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text")
    )
    return XtdComment.objects.filter(
        user=member,
        is_public=True,
        is_removed=False,
        content_type__app_label="ideas",
        content_type__model="idea",
        object_pk__in=public_idea_ids,
    ).order_by("-submit_date")


def member_profile_context(request, member):
    """The ideas and comments sections of the public member profile."""
    ideas = Paginator(member_ideas(member=member, viewer=request.user), PROFILE_PER_PAGE)
    comments = Paginator(member_comments(member=member, viewer=request.user), PROFILE_PER_PAGE)
    return {
        "ideas": ideas.get_page(request.GET.get("ideas")),
        "comments": comments.get_page(request.GET.get("comments")),
    }


SEARCH_PER_PAGE = 20


def search_results(request, query):
    """Ideas for the site search: public ideas the visitor may see (the audience policy)."""
    found = visible_ideas(Idea.objects.public(), request.user).search(query)
    ideas = Paginator(found, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
    if ideas.object_list:
        by_pk = Idea.objects.select_related("stage", "campaign", "author").in_bulk(
            [i.pk for i in ideas.object_list]
        )
        ideas.object_list = [by_pk[i.pk] for i in ideas.object_list if i.pk in by_pk]
    return {"ideas": ideas}
