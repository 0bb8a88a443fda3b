"""Reads of votes for the idea pages (registered with `ideas.hooks` in `apps.py`)."""

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from .models import Vote

VOTE_DAYS_SHOWN = 60


def voted_idea_ids(*, member, ideas):
    if not member.is_authenticated or not ideas:
        return set()
    return set(
        Vote.objects.filter(member=member, idea_id__in=[i.pk for i in ideas]).values_list(
            "idea_id", flat=True
        )
    )


def member_votes(*, member, campaign, ideas):
    """(ids of `ideas` the member voted for, votes left in the campaign's budget or None), in
    one query: with a budget, the member's votes in the campaign are few (the budget, plus
    those given back by closed ideas), so they are read whole."""
    if not campaign.vote_budget or not member.is_authenticated:
        left = campaign.vote_budget if campaign.vote_budget else None
        return voted_idea_ids(member=member, ideas=ideas), left
    rows = list(
        Vote.objects.filter(member=member, campaign=campaign).values_list(
            "idea_id", "idea__stage__is_closed"
        )
    )
    on_page = {i.pk for i in ideas}
    used = sum(1 for _idea, closed in rows if not closed)
    return {idea for idea, _closed in rows if idea in on_page}, max(campaign.vote_budget - used, 0)


def page_context(request, campaign, ideas):
    """Which of the shown ideas the member voted for, votes left, whether voting is open."""
    voted, left = member_votes(member=request.user, campaign=campaign, ideas=ideas)
    return {"voted": voted, "votes_left": left, "voting_open": campaign.voting_is_open()}


def board_context(request, ideas):
    """For a page showing ideas of several campaigns (the roadmap): which of them the member
    voted for, and per campaign the votes left and whether voting is open — what
    `{% vote_button %}` reads. One query (none for a visitor), whatever the number of ideas
    or campaigns."""
    ids = {idea.pk for idea in ideas}
    # The cards come with their campaign's budget and voting window (`PIPELINE_CARD_FIELDS`).
    campaigns = list({idea.campaign_id: idea.campaign for idea in ideas}.values())
    budgets = {c.pk: c.vote_budget for c in campaigns if c.vote_budget}
    voted, used = set(), dict.fromkeys(budgets, 0)
    member = request.user
    if member.is_authenticated and ids:
        rows = Vote.objects.filter(
            Q(idea_id__in=ids) | Q(campaign_id__in=list(budgets)), member=member
        ).values_list("idea_id", "campaign_id", "idea__stage__is_closed")
        for idea_id, campaign_id, closed in rows:
            if idea_id in ids:
                voted.add(idea_id)
            if campaign_id in used and not closed:
                used[campaign_id] += 1
    return {
        "voted": voted,
        "votes_left_by_campaign": {pk: max(n - used[pk], 0) for pk, n in budgets.items()},
        "voting_open_by_campaign": {c.pk: c.voting_is_open() for c in campaigns},
    }


def merge_preview(source, target):
    """How many of the source's votes a merge moves, and how many voters backed both."""
    votes = Vote.objects.filter(idea=source).count()
    both = 0
    if votes:
        voted_target = Vote.objects.filter(idea=target).values("member_id")
        both = Vote.objects.filter(idea=source, member_id__in=voted_target).count()
    return {"votes": votes, "votes_both": both}


def votes_per_day(idea):
    """The idea's votes per day (the last VOTE_DAYS_SHOWN days with votes), for the workspace."""
    rows = (
        Vote.objects.filter(idea=idea)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("-day")[:VOTE_DAYS_SHOWN]
    )
    days = list(reversed(rows))
    top = max((d["n"] for d in days), default=0)
    for day in days:
        day["percent"] = round(100 * day["n"] / top) if top else 0
    return days


def workspace_context(request, idea):
    return {"votes_by_day": votes_per_day(idea)}
