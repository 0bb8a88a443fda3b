"""Reads for the public idea pages. Every one is a fixed number of queries, whatever the data."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from voting.models import Vote

from .filters import IdeaFilter
from .models import Idea

IDEAS_PER_PAGE = 20
SIMILAR_LIMIT = 5


def campaign_ideas(campaign):
    return Idea.objects.filter(campaign=campaign, status=Idea.Status.PUBLISHED)


def idea_list_page(*, campaign, request):
    """The filtered, sorted page of a campaign's idea list and its filter set."""
    filterset = IdeaFilter(
        request.GET,
        queryset=campaign_ideas(campaign).for_cards(),
        campaign=campaign,
        request=request,
    )
    page = Paginator(filterset.qs, IDEAS_PER_PAGE).get_page(request.GET.get("page"))
    return filterset, page


def voted_idea_ids(*, member, ideas):
    if not member.is_authenticated or not ideas:
        return set()
    return set(
        Vote.objects.filter(member=member, idea_id__in=[i.pk for i in ideas]).values_list(
            "idea_id", flat=True
        )
    )


def similar_ideas(*, campaign, text, exclude_pk=None, limit=SIMILAR_LIMIT):
    """Published ideas in the campaign whose title looks like `text`.

    PostgreSQL: trigram similarity on the title or a full-text match on title and description.
    Elsewhere: ideas whose title shares a word of four letters or more."""
    text = " ".join(text.split())[:200]
    if len(text) < 4:
        return []
    ideas = campaign_ideas(campaign).select_related("stage")
    if exclude_pk:
        ideas = ideas.exclude(pk=exclude_pk)
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import (
            SearchQuery,
            SearchVector,
            TrigramWordSimilarity,
        )

        query = SearchQuery(text, search_type="websearch", config="simple")
        vector = SearchVector("title", "description", config="simple")
        ideas = (
            ideas.annotate(similarity=TrigramWordSimilarity(text, "title"))
            .filter(Q(similarity__gt=0.35) | Q(pk__in=_fulltext_ids(campaign, vector, query)))
            .order_by("-similarity", "-vote_count")
        )
    else:
        words = [w for w in text.lower().split() if len(w) >= 4][:8]
        if not words:
            return []
        match = Q()
        for word in words:
            match |= Q(title__icontains=word)
        ideas = ideas.filter(match).order_by("-vote_count", "-id")
    return list(ideas[:limit])


def _fulltext_ids(campaign, vector, query):
    from django.contrib.postgres.search import SearchRank

    return (
        campaign_ideas(campaign)
        .annotate(rank=SearchRank(vector, query))
        .filter(rank__gt=0.05)
        .order_by("-rank")
        .values("pk")[:SIMILAR_LIMIT]
    )


def comment_threads(*, idea, member, page_number, per_page=None):
    """One page of the idea's discussion, as trees. Three queries whatever the thread sizes:
    count of threads, the page's thread ids, and every comment of those threads with its likes."""
    per_page = per_page or settings.COMMENTS_PER_PAGE
    comments = XtdComment.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site_id=settings.SITE_ID,
        is_public=True,
    )
    roots = comments.filter(level=0).order_by("-thread_id").values_list("thread_id", flat=True)
    page = Paginator(roots, per_page).get_page(page_number)
    thread_ids = list(page.object_list)
    if not thread_ids:
        page.threads = []
        return page
    likes = Count("flags", filter=Q(flags__flag=LIKEDIT_FLAG))
    rows = (
        comments.filter(thread_id__in=thread_ids)
        .select_related("user")
        .annotate(like_count=likes)
        .order_by("thread_id", "order")
    )
    if member.is_authenticated:
        mine = CommentFlag.objects.filter(comment=OuterRef("pk"), user=member, flag=LIKEDIT_FLAG)
        rows = rows.annotate(liked=Exists(mine))
    by_pk, threads = {}, {}
    for comment in rows:
        comment.replies = []
        by_pk[comment.pk] = comment
        if comment.level == 0:
            threads[comment.thread_id] = comment
        elif comment.parent_id in by_pk:
            by_pk[comment.parent_id].replies.append(comment)
    page.threads = [threads[t] for t in thread_ids if t in threads]
    return page
