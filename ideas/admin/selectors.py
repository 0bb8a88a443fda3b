"""The triage admin's reads. Each is a fixed number of queries, whatever the data."""

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber

from .. import hooks
from ..models import Follow, Idea, Stage

BOARD_COLUMN_LIMIT = 50
MERGE_SEARCH_LIMIT = 10
MERGE_SEARCH_WORDS = 8
LIST_RELATED = ("campaign", "stage", "assignee", "author", "category")


def merge_candidates(idea, query):
    """Ideas `idea` could be merged into that match `query`: every word in the title (in any
    order), or the idea's number (“27” or “#27”), which comes first."""
    words = query.split()[:MERGE_SEARCH_WORDS]
    if not words:
        return []
    match = Q()
    for word in words:
        match &= Q(title__icontains=word)
    number = query.strip().lstrip("#").strip()
    ordering = ["-vote_count", "-pk"]
    if number.isdigit() and len(number) < 10:
        match |= Q(pk=int(number))
        ordering.insert(
            0,
            Case(
                When(pk=int(number), then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
    return list(
        Idea.objects.filter(match, campaign_id=idea.campaign_id, status=Idea.Status.PUBLISHED)
        .exclude(pk=idea.pk)
        .exclude(stage__role=Stage.Role.MERGED)
        .select_related("stage")
        .order_by(*ordering)[:MERGE_SEARCH_LIMIT]
    )


def merge_summary(source, target):
    """What a merge will do, in three COUNT queries: votes that move, members who voted for
    both (they keep one vote and get the other back; both counted by voting, through
    `ideas.hooks`) and followers that move."""
    figures = hooks.merge_preview(source, target)
    votes, both = figures.get("votes", 0), figures.get("votes_both", 0)
    followers = Follow.objects.filter(idea=source).count()
    return {"moved": votes - both, "both": both, "followers": followers}


def board_stages():
    """Every stage, each with the stages its ideas may move to (`targets`), in two queries."""
    stages = list(Stage.objects.prefetch_related("next_stages"))
    for stage in stages:
        stage.targets = [s for s in stage.next_stages.all() if not s.is_merged]
    return stages


def board_cards(ideas, stages, limit=BOARD_COLUMN_LIMIT):
    """({stage pk: its `limit` most voted ideas}, {stage pk: how many ideas it has}), in two
    queries: the counts, and the top ideas of each stage as a UNION ALL of per-stage
    "ORDER BY votes LIMIT n" that each walk an index, instead of ranking every idea."""
    counts = dict(ideas.order_by().values_list("stage_id").annotate(n=Count("id")))
    per_stage = [
        ideas.filter(stage_id=stage.pk)
        .annotate(campaign_title=F("campaign__title"))
        .only("pk", "title", "vote_count", "stage_id", "campaign_id")
        .order_by("-vote_count", "-id")[:limit]
        for stage in stages
    ]
    if connection.features.supports_slicing_ordering_in_compound and len(per_stage) > 1:
        top = per_stage[0].union(*per_stage[1:], all=True)
    else:  # SQLite: rank with a window function instead
        rank = Window(
            RowNumber(),
            partition_by=[F("stage_id")],
            order_by=[F("vote_count").desc(), F("id").desc()],
        )
        top = (
            ideas.annotate(campaign_title=F("campaign__title"), rank=rank)
            .filter(rank__lte=limit)
            .order_by("stage_id", "rank")
        )
    by_stage = {}
    for idea in top:
        by_stage.setdefault(idea.stage_id, []).append(idea)
    return by_stage, counts
