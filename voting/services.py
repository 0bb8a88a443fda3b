"""Casting and withdrawing votes. Counts stay exact and budgets hold under concurrency:

* the unique constraint makes a second vote by the same member on the same idea impossible;
* the member's row is locked for the duration of the cast, so two racing votes of one member
  are counted against the budget one after the other;
* the idea's count moves with an `F()` update in the same transaction as the vote row.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ideas.models import Idea, trending_score
from ideas.permissions import NotAllowed, require
from ideas.services import follow

from .models import Vote
from .permissions import can_vote, can_withdraw_vote


@dataclass(frozen=True)
class VoteResult:
    voted: bool
    vote_count: int
    votes_left: int | None  # None when the campaign has no budget


def votes_used(*, member, campaign):
    """Votes that count against the budget: those on ideas still open for voting."""
    return Vote.objects.filter(
        member=member, campaign=campaign, idea__stage__is_closed=False
    ).count()


def votes_left(*, member, campaign):
    if not campaign.vote_budget:
        return None
    if not member.is_authenticated:
        return campaign.vote_budget
    return max(campaign.vote_budget - votes_used(member=member, campaign=campaign), 0)


def _move_count(idea, delta):
    Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + delta)
    # The row is locked by the update until commit, so this read and the write are consistent.
    idea.vote_count, idea.created_at = Idea.objects.values_list("vote_count", "created_at").get(
        pk=idea.pk
    )
    Idea.objects.filter(pk=idea.pk).update(
        trending=trending_score(idea.vote_count, idea.created_at)
    )


def vote_cast(*, idea, member) -> VoteResult:
    campaign = idea.campaign
    require(can_vote(member, idea))
    with transaction.atomic():
        # Serializes one member's votes; other members are not held up.
        get_user_model().objects.select_for_update().filter(pk=member.pk).values_list("pk").get()
        if Vote.objects.filter(idea=idea, member=member).exists():
            return VoteResult(
                True, _current_count(idea), votes_left(member=member, campaign=campaign)
            )
        if (
            campaign.vote_budget
            and votes_used(member=member, campaign=campaign) >= campaign.vote_budget
        ):
            raise NotAllowed(
                _(
                    "You have used all %(n)d of your votes in this campaign. "
                    "Withdraw one to vote here."
                )
                % {"n": campaign.vote_budget}
            )
        try:
            with transaction.atomic():
                Vote.objects.create(idea=idea, member=member, campaign_id=idea.campaign_id)
        except IntegrityError:
            # A racing request of the same member got there first: that vote stands.
            return VoteResult(
                True, _current_count(idea), votes_left(member=member, campaign=campaign)
            )
        _move_count(idea, +1)
        follow(member=member, idea=idea)
        return VoteResult(True, idea.vote_count, votes_left(member=member, campaign=campaign))


def vote_withdraw(*, idea, member) -> VoteResult:
    campaign = idea.campaign
    require(can_withdraw_vote(member, idea))
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=member.pk).values_list("pk").get()
        deleted, _details = Vote.objects.filter(idea=idea, member=member).delete()
        if deleted:
            _move_count(idea, -1)
        else:
            idea.vote_count = _current_count(idea)
        return VoteResult(False, idea.vote_count, votes_left(member=member, campaign=campaign))


def _current_count(idea):
    return Idea.objects.values_list("vote_count", flat=True).get(pk=idea.pk)
