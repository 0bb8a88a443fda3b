"""Reads of votes for the idea pages (registered with `ideas.hooks` in `apps.py`)."""

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

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
    """For a board of ideas from several campaigns (the roadmap): the ideas the member voted
    for, and on each idea whether its campaign's voting is open and the votes left in that
    campaign's budget (None without one). One query, or none for a visitor: the member's votes
    for the shown ideas and, in budgeted campaigns, all of them (few: at most the budget plus
    those given back by closed ideas)."""
    now = timezone.now()
    campaigns = {idea.campaign_id: idea.campaign for idea in ideas}
    budgeted = [pk for pk, campaign in campaigns.items() if campaign.vote_budget]
    voted, used = set(), dict.fromkeys(budgeted, 0)
    if request.user.is_authenticated and ideas:
        shown = {idea.pk for idea in ideas}
        rows = (
            Vote.objects.filter(member=request.user)
            .filter(Q(idea_id__in=shown) | Q(campaign_id__in=budgeted))
            .values_list("idea_id", "campaign_id", "idea__stage__is_closed")
        )
        for idea_id, campaign_id, closed in rows:
            if idea_id in shown:
                voted.add(idea_id)
            if campaign_id in used and not closed:
                used[campaign_id] += 1
    for idea in ideas:
        campaign = campaigns[idea.campaign_id]
        idea.voting_open = campaign.voting_is_open(now)
        idea.votes_left = (
            max(campaign.vote_budget - used[campaign.pk], 0) if campaign.vote_budget else None
        )
    return {"voted": voted}


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
