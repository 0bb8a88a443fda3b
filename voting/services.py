"""Casting and withdrawing votes. Counts stay exact and budgets hold under concurrency, in one
SQL statement per vote (plus one for the reputation the vote gives, by the `vote_changed`
signal, in the same transaction):

* the unique constraint makes a second vote by the same member on the same idea impossible: the
  vote is `INSERT … ON CONFLICT DO NOTHING RETURNING id` (a racing duplicate waits for the first
  and then inserts nothing);
* the idea's count and trending score move in the same statement, an `UPDATE … RETURNING` of the
  idea's row (which holds it until commit, so racing votes on one idea are counted one after the
  other), and only when the vote row was written (or deleted, for a withdrawal);
* the voter follows the idea in that statement too (`INSERT … ON CONFLICT DO NOTHING`);
* in a campaign with a vote budget, a transaction-level advisory lock on (campaign, member)
  serializes one member's votes in that campaign, and the budget is counted in the statement that
  inserts, so two racing votes of one member are counted one after the other. Without a budget
  nothing is locked but the idea's row: no member row is ever locked by a vote (a member row
  lock against the event worker's updates of member rows could deadlock).
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import CharField, Count, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from core.exceptions import NotAllowed
from ideas.models import (
    TRENDING_EPOCH,
    TRENDING_HALF_LIFE_SECONDS,
    Follow,
    Idea,
    Stage,
    trending_score,
)
from ideas.permissions import require
from ideas.services import follows_add
from members.permissions import refuse_if_suspended

from .models import Vote
from .permissions import can_vote, can_withdraw_vote
from .signals import vote_changed


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


# The statements. Table names come from the models; the trending score is `trending_score` in
# SQL (numeric logarithm, rounded to 7 places as the Python one is).

_VOTES, _IDEAS, _STAGES, _FOLLOWS = (m._meta.db_table for m in (Vote, Idea, Stage, Follow))


def _trending(new_count):
    return (
        f"ROUND((LOG(2, GREATEST({new_count}, 0) + 1) "
        f"+ (EXTRACT(EPOCH FROM created_at) - %(epoch)s) / %(half_life)s)::numeric, 7)"
    )


_TRENDING_PARAMS = {
    "epoch": int(TRENDING_EPOCH.timestamp()),
    "half_life": TRENDING_HALF_LIFE_SECONDS,
}

# Votes of a member in a campaign that count against its budget (as `votes_used`).
_USED = f"""used AS (
    SELECT COUNT(*) AS n FROM {_VOTES} uv
    JOIN {_IDEAS} ui ON ui.id = uv.idea_id JOIN {_STAGES} us ON us.id = ui.stage_id
    WHERE uv.member_id = %(member)s AND uv.campaign_id = %(campaign)s AND NOT us.is_closed
)"""  # noqa: S608

_CAST = """WITH {budget}
v AS (
    INSERT INTO {votes} (idea_id, member_id, campaign_id, created_at)
    {values}
    ON CONFLICT (idea_id, member_id) DO NOTHING
    RETURNING id
),
i AS (
    UPDATE {ideas} SET vote_count = vote_count + 1, trending = {trending}
    WHERE id = %(idea)s AND EXISTS (SELECT 1 FROM v)
    RETURNING vote_count
),
f AS (
    INSERT INTO {follows} (member_id, idea_id, created_at)
    SELECT %(member)s, %(idea)s, %(now)s WHERE EXISTS (SELECT 1 FROM v)
    ON CONFLICT (member_id, idea_id) DO NOTHING
)
SELECT (SELECT id FROM v),
       COALESCE((SELECT vote_count FROM i), (SELECT vote_count FROM {ideas} WHERE id = %(idea)s)),
       {extra}"""

_CAST_FREE = _CAST.format(
    budget="",
    votes=_VOTES,
    values="VALUES (%(idea)s, %(member)s, %(campaign)s, %(now)s)",
    ideas=_IDEAS,
    trending=_trending("vote_count + 1"),
    follows=_FOLLOWS,
    extra="NULL, NULL",
)
# Whether the member voted for the idea already (with the budget's lock held, nothing of theirs
# is on its way meanwhile).
_ALREADY = f"""already AS (
    SELECT EXISTS (
        SELECT 1 FROM {_VOTES} WHERE idea_id = %(idea)s AND member_id = %(member)s
    ) AS yes
)"""  # noqa: S608
_CAST_BUDGET = _CAST.format(
    budget=f"{_USED},\n{_ALREADY},",
    votes=_VOTES,
    values="SELECT %(idea)s, %(member)s, %(campaign)s, %(now)s FROM used WHERE used.n < %(budget)s",
    ideas=_IDEAS,
    trending=_trending("vote_count + 1"),
    follows=_FOLLOWS,
    extra="(SELECT n FROM used), (SELECT yes FROM already)",
)

_WITHDRAW = """WITH {budget}
v AS (
    DELETE FROM {votes} WHERE idea_id = %(idea)s AND member_id = %(member)s RETURNING id
),
i AS (
    UPDATE {ideas} SET vote_count = vote_count - 1, trending = {trending}
    WHERE id = %(idea)s AND EXISTS (SELECT 1 FROM v)
    RETURNING vote_count
)
SELECT (SELECT id FROM v),
       COALESCE((SELECT vote_count FROM i), (SELECT vote_count FROM {ideas} WHERE id = %(idea)s)),
       {extra}"""

_WITHDRAW_FREE = _WITHDRAW.format(
    budget="", votes=_VOTES, ideas=_IDEAS, trending=_trending("vote_count - 1"), extra="NULL"
)
_WITHDRAW_BUDGET = _WITHDRAW.format(
    budget=_USED + ",",
    votes=_VOTES,
    ideas=_IDEAS,
    trending=_trending("vote_count - 1"),
    extra="(SELECT n FROM used)",
)

# One member's votes in one campaign, one after the other (a transaction-level advisory lock,
# released at commit or rollback; the key is hashed from a named string, so no other lock in
# the project shares it, and a collision would only make two members wait for each other).
_BUDGET_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))"


def _execute(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _budget_refused(budget):
    return NotAllowed(
        _("You have used all %(n)d of your votes in this campaign. Withdraw one to vote here.")
        % {"n": budget}
    )


def vote_cast(*, idea, member) -> VoteResult:
    campaign = idea.campaign
    require(can_vote(member, idea))
    refuse_if_suspended(member)
    budget = campaign.vote_budget
    with transaction.atomic():
        if connection.vendor == "postgresql":
            vote_id, count, used, already = _cast_statement(idea, member, budget)
        else:
            vote_id, count, used, already = _cast_portable(idea, member, budget)
        idea.vote_count = count
        if vote_id is None:
            # Voted already (or a racing request of the same member got there first: that vote
            # stands); or, in a campaign with a budget, no vote left.
            if budget and not already and used >= budget:
                raise _budget_refused(budget)
            return VoteResult(True, count, max(budget - used, 0) if budget else None)
        return VoteResult(True, count, max(budget - used - 1, 0) if budget else None)


def _cast_statement(idea, member, budget):
    """PostgreSQL: one statement (two with a budget: the lock first, so that the count in the
    statement sees the member's votes committed meanwhile). Returns (the new vote's id or None,
    the idea's count, the votes used before, whether the member had voted already)."""
    params = {
        "idea": idea.pk,
        "member": member.pk,
        "campaign": idea.campaign_id,
        "now": timezone.now(),
        "budget": budget,
        **_TRENDING_PARAMS,
    }
    if budget:
        _execute(_BUDGET_LOCK, [f"cocrea.vote_budget:{idea.campaign_id}:{member.pk}"])
    vote_id, count, used, already = _execute(_CAST_BUDGET if budget else _CAST_FREE, params)
    if vote_id is not None:
        # No model signal for a row written in SQL: this one (reputation listens).
        vote_changed.send(
            sender=Vote, vote_id=vote_id, idea_id=idea.pk, member_id=member.pk, cast=True
        )
    return vote_id, count, used, already


def _cast_portable(idea, member, budget):
    """Other databases (SQLite, for development): the same, statement by statement; SQLite
    runs one write transaction at a time (BEGIN IMMEDIATE), which serializes budgets."""
    already = Vote.objects.filter(idea=idea, member=member).exists()
    used = votes_used(member=member, campaign=idea.campaign) if budget else None
    if already or (budget and used >= budget):
        return None, _current_count(idea), used, already
    vote = Vote.objects.create(idea=idea, member=member, campaign_id=idea.campaign_id)
    _move_count(idea, +1)
    Follow.objects.get_or_create(member=member, idea=idea)
    return vote.pk, idea.vote_count, used, False


def vote_withdraw(*, idea, member) -> VoteResult:
    """Nothing is locked but the idea's row: a withdrawal can only give a vote back."""
    campaign = idea.campaign
    require(can_withdraw_vote(member, idea))
    refuse_if_suspended(member)
    budget = campaign.vote_budget
    with transaction.atomic():
        if connection.vendor == "postgresql":
            vote_id, count, used = _withdraw_statement(idea, member, budget)
        else:
            vote_id, count, used = _withdraw_portable(idea, member, budget)
        idea.vote_count = count
        if not budget:
            return VoteResult(False, count, None)
        # `used` was counted with the withdrawn vote still there.
        return VoteResult(False, count, max(budget - used + (vote_id is not None), 0))


def _withdraw_statement(idea, member, budget):
    params = {"idea": idea.pk, "member": member.pk, "campaign": idea.campaign_id}
    vote_id, count, used = _execute(
        _WITHDRAW_BUDGET if budget else _WITHDRAW_FREE, {**params, **_TRENDING_PARAMS}
    )
    if vote_id is not None:
        vote_changed.send(
            sender=Vote, vote_id=vote_id, idea_id=idea.pk, member_id=member.pk, cast=False
        )
    return vote_id, count, used


def _withdraw_portable(idea, member, budget):
    used = votes_used(member=member, campaign=idea.campaign) if budget else None
    vote = Vote.objects.filter(idea=idea, member=member).first()
    if vote is None:
        return None, _current_count(idea), used
    vote_id = vote.pk
    vote.delete()
    _move_count(idea, -1)
    return vote_id, idea.vote_count, used


def _move_count(idea, delta):
    Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + delta)
    # The row is locked by the update until commit, so this read and the write are consistent.
    idea.vote_count, idea.created_at = Idea.objects.values_list("vote_count", "created_at").get(
        pk=idea.pk
    )
    Idea.objects.filter(pk=idea.pk).update(
        trending=trending_score(idea.vote_count, idea.created_at)
    )


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
