"""Races on the real PostgreSQL: many requests at once, exact results."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from core.exceptions import NotAllowed
from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory, make_campaign
from voting.models import Vote
from voting.services import vote_cast

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 50  # PostgreSQL here allows 100 connections; the test itself holds some


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
