"""Races on the real PostgreSQL: many requests at once, exact results."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from core.exceptions import NotAllowed
from ideas.models import Idea, trending_score
from reputation.models import ReputationSettings
from tests.factories import IdeaFactory, UserFactory, ledger_points, make_campaign, total_points
from voting.models import Vote
from voting.services import vote_cast, vote_withdraw

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 50  # PostgreSQL here allows 100 connections; the test itself holds some
D = ReputationSettings()  # the default points and thresholds


def race(calls):
    """Run every call at the same moment (as far as WORKERS allow); return outcomes."""
    start = threading.Barrier(min(len(calls), WORKERS))

    def run(call):
        try:
            try:
                start.wait(timeout=10)
            except threading.BrokenBarrierError:
                pass
            return call()
        except NotAllowed as refused:
            return refused
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, calls))


def test_hundred_members_voting_for_one_idea_at_once_count_exactly_hundred():
    idea = IdeaFactory()
    members = UserFactory.create_batch(100)
    race([lambda m=m: vote_cast(idea=Idea.objects.get(pk=idea.pk), member=m) for m in members])
    idea.refresh_from_db()
    assert idea.vote_count == 100
    assert Vote.objects.filter(idea=idea).count() == 100


def test_one_member_sending_twenty_votes_at_once_gets_one_vote():
    idea = IdeaFactory()
    member = UserFactory()
    race([lambda: vote_cast(idea=Idea.objects.get(pk=idea.pk), member=member) for _ in range(20)])
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert Vote.objects.filter(idea=idea, member=member).count() == 1


def test_budget_of_three_is_never_exceeded_by_racing_votes():
    campaign = make_campaign(vote_budget=3)
    ideas = [IdeaFactory(campaign=campaign) for _ in range(12)]
    member = UserFactory()
    outcomes = race(
        [lambda i=i: vote_cast(idea=Idea.objects.get(pk=i.pk), member=member) for i in ideas]
    )
    refused = [o for o in outcomes if isinstance(o, NotAllowed)]
    assert Vote.objects.filter(member=member, campaign=campaign).count() == 3
    assert len(refused) == 9
    assert sum(Idea.objects.filter(campaign=campaign).values_list("vote_count", flat=True)) == 3


def _ring(n, campaign):
    """n members, each the author of one idea and voting for the next member's idea."""
    members = UserFactory.create_batch(n)
    ideas = [IdeaFactory(campaign=campaign, author=m) for m in members]
    return members, ideas, [(members[i], ideas[(i + 1) % n]) for i in range(n)]


@pytest.mark.parametrize("budget", [0, 3])
def test_members_voting_for_each_others_ideas_at_once_never_deadlock(budget):
    """Each vote moves its idea's author from level 0 to 1, i.e. writes the author's member row,
    while that author votes too. Locking the voter's row for the vote (as votes did) made a
    ring of waits PostgreSQL broke by failing votes; now every vote goes through."""
    campaign = make_campaign(vote_budget=budget)
    members, ideas, pairs = _ring(40, campaign)
    outcomes = race(
        [lambda m=m, i=i: vote_cast(idea=Idea.objects.get(pk=i.pk), member=m) for m, i in pairs]
    )
    assert all(o.voted for o in outcomes)
    assert (
        sorted(Idea.objects.filter(campaign=campaign).values_list("vote_count", flat=True))
        == [1] * 40
    )
    for member in members:
        member.refresh_from_db()
        assert (member.reputation_level, total_points(member), ledger_points(member)) == (
            1,
            D.vote_received,
            D.vote_received,
        )


def test_casts_and_withdrawals_racing_on_one_idea_keep_count_and_points_exact():
    author = UserFactory()
    idea = IdeaFactory(author=author)
    members = UserFactory.create_batch(60)
    for member in members[:30]:
        vote_cast(idea=Idea.objects.get(pk=idea.pk), member=member)
    calls = [  # the first 30 withdraw while 30 others vote, each twice at once
        (lambda m=m: vote_withdraw(idea=Idea.objects.get(pk=idea.pk), member=m))
        if n < 30
        else (lambda m=m: vote_cast(idea=Idea.objects.get(pk=idea.pk), member=m))
        for n, m in enumerate(members)
    ] * 2
    race(calls)
    idea.refresh_from_db()
    voters = set(Vote.objects.filter(idea=idea).values_list("member_id", flat=True))
    assert voters == {m.pk for m in members[30:]}
    assert idea.vote_count == 30
    assert idea.trending == pytest.approx(trending_score(30, idea.created_at))
    assert total_points(author) == ledger_points(author) == 30 * D.vote_received


def test_a_budget_holds_while_votes_and_withdrawals_of_one_member_race():
    campaign = make_campaign(vote_budget=3)
    ideas = [IdeaFactory(campaign=campaign) for _ in range(9)]
    member = UserFactory()
    for idea in ideas[:3]:
        vote_cast(idea=idea, member=member)
    calls = [
        lambda i=i: vote_withdraw(idea=Idea.objects.get(pk=i.pk), member=member) for i in ideas[:3]
    ] + [lambda i=i: vote_cast(idea=Idea.objects.get(pk=i.pk), member=member) for i in ideas[3:]]
    race(calls)
    held = Vote.objects.filter(member=member, campaign=campaign).count()
    assert held <= 3
    counts = dict(Idea.objects.filter(campaign=campaign).values_list("pk", "vote_count"))
    rows = dict(Vote.objects.filter(campaign=campaign).values_list("idea_id", "member_id"))
    assert counts == {i.pk: int(i.pk in rows) for i in ideas}
