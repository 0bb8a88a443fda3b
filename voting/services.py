"""Casting and withdrawing votes. Counts stay exact and budgets hold under concurrency:

* the unique constraint makes a second vote by the same member on the same idea impossible;
* the member's row is locked for the duration of the cast, so two racing votes of one member
  are counted against the budget one after the other;
* the idea's count moves with an `F()` update in the same transaction as the vote row.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from core.exceptions import NotAllowed
from ideas.models import Idea, trending_score
from ideas.permissions import require
from ideas.services import follow, follows_add
from members.permissions import refuse_if_suspended

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
    refuse_if_suspended(member)
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
    refuse_if_suspended(member)
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


def _chunks(values, size):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def votes_remove_all(*, member):
    """Remove the member's votes keeping every idea's count exact: the ideas' rows are locked
    (in id order, so two deletions cannot deadlock), the votes deleted and each count moved by
    exactly the votes removed, as `vote_withdraw` does one vote at a time."""
    idea_ids = sorted(set(Vote.objects.filter(member=member).values_list("idea_id", flat=True)))
    for chunk in _chunks(idea_ids, 500):
        list(Idea.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values("pk"))
        # At most one vote per member and idea (a unique constraint): each count moves by 1.
        voted = list(
            Vote.objects.filter(member=member, idea_id__in=chunk).values_list("idea_id", flat=True)
        )
        Vote.objects.filter(member=member, idea_id__in=chunk).delete()
        Idea.objects.filter(pk__in=voted).update(vote_count=F("vote_count") - 1)
        ideas = list(Idea.objects.filter(pk__in=chunk).only("pk", "vote_count", "created_at"))
        for idea in ideas:
            idea.trending = trending_score(idea.vote_count, idea.created_at)
        Idea.objects.bulk_update(ideas, ["trending"])
    return len(idea_ids)


@transaction.atomic
def votes_merge(*, source, target):
    """Move `source`'s votes to `target` (a merge, with both rows locked by the caller) without
    counting any member twice: a member who voted for both keeps one vote and gets the other
    back. Keeps both counts exact. Returns (moved, returned)."""
    both = Vote.objects.filter(idea=target).values("member_id")
    returned, _rows = Vote.objects.filter(idea=source, member_id__in=both).delete()
    moved = Vote.objects.filter(idea=source).update(idea=target)
    Idea.objects.filter(pk=target.pk).update(vote_count=F("vote_count") + moved)
    target.refresh_from_db(fields=["vote_count"])
    Idea.objects.filter(pk=target.pk).update(
        trending=trending_score(target.vote_count, target.created_at)
    )
    Idea.objects.filter(pk=source.pk).update(
        vote_count=0, trending=trending_score(0, source.created_at)
    )
    source.vote_count = 0
    return moved, returned


def idea_counts_reconcile(*, campaign_id) -> int:
    """Recount votes and visible comments for every idea of a campaign; returns the number of
    ideas whose stored counts were wrong."""
    votes = Vote.objects.filter(idea=OuterRef("pk")).order_by().values("idea")
    comments = (
        XtdComment.objects.filter(
            content_type__app_label="ideas",
            content_type__model="idea",
            object_pk=Cast(OuterRef("pk"), CharField()),
            is_public=True,
            is_removed=False,
        )
        .order_by()
        .values("object_pk")
    )
    fixed = []
    with transaction.atomic():
        ideas = (
            Idea.objects.select_for_update()
            .filter(campaign_id=campaign_id)
            .annotate(
                real_votes=Coalesce(Subquery(votes.annotate(n=Count("pk")).values("n")), 0),
                real_comments=Coalesce(Subquery(comments.annotate(n=Count("pk")).values("n")), 0),
            )
        )
        for idea in ideas:
            if (idea.vote_count, idea.comment_count) != (idea.real_votes, idea.real_comments):
                idea.vote_count, idea.comment_count = idea.real_votes, idea.real_comments
                idea.trending = trending_score(idea.vote_count, idea.created_at)
                fixed.append(idea)
        Idea.objects.bulk_update(
            fixed, ["vote_count", "comment_count", "trending"], batch_size=1000
        )
    return len(fixed)


def vote_counts_recount(*, campaign_id) -> None:
    """Set every idea's vote count and trending score of a campaign from its vote rows, in two
    statements (after a bulk import)."""
    counts = (
        Vote.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Idea.objects.filter(campaign_id=campaign_id).update(vote_count=Coalesce(Subquery(counts), 0))
    ideas = list(
        Idea.objects.filter(campaign_id=campaign_id).only("pk", "vote_count", "created_at")
    )
    for idea in ideas:
        idea.trending = trending_score(idea.vote_count, idea.created_at)
    Idea.objects.bulk_update(ideas, ["trending"], batch_size=5000)


@transaction.atomic
def votes_import(*, votes, follow_ideas=True) -> int:
    """Bring in votes as they were elsewhere (a migration, the demo): `votes` are
    (idea, member, created_at). One per member and idea (duplicates are dropped); the counts of
    every campaign touched are recounted exactly and the voters follow the ideas, as
    `vote_cast` would have made them. Budgets are not applied to the past. Returns how many
    votes were asked for."""
    rows = [
        Vote(idea=idea, member=member, campaign_id=idea.campaign_id, created_at=created_at)
        for idea, member, created_at in votes
    ]
    Vote.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    for campaign_id in sorted({row.campaign_id for row in rows}):
        vote_counts_recount(campaign_id=campaign_id)
    if follow_ideas:
        follows_add(pairs=[(row.idea_id, row.member_id) for row in rows])
    return len(rows)
