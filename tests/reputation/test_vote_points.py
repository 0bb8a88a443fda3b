"""A vote's points are written in one statement (the entry, the author's total, their level):
the same ledger as the general sync (`points_sync_vote`) would write, and the values and
thresholds the site's settings hold at that moment."""

import pytest
from wagtail.models import Site

from ideas.models import Idea
from reputation.models import MemberPoints, PointsEntry, Reason, ReputationSettings
from reputation.services import levels_refresh, points_sync_vote
from tests.factories import IdeaFactory, UserFactory, ledger_points, make_campaign, total_points
from voting.models import Vote
from voting.services import vote_cast, vote_withdraw

pytestmark = pytest.mark.django_db

D = ReputationSettings()


def level(member):
    member.refresh_from_db()
    return member.reputation_level


def site_settings(**values):
    make_campaign()  # builds the site
    return ReputationSettings.objects.create(site=Site.objects.get(is_default_site=True), **values)


def test_a_vote_moves_its_authors_level_at_once_and_its_withdrawal_moves_it_back(member):
    site_settings(vote_received=5, level_2=10)
    idea = IdeaFactory(author=member)
    MemberPoints.objects.create(member=member, points=7)
    levels_refresh(member_ids=[member.pk])
    assert level(member) == 1
    voter = UserFactory()
    vote_cast(idea=idea, member=voter)
    assert (total_points(member), level(member)) == (12, 2)
    vote_withdraw(idea=idea, member=voter)
    assert (total_points(member), level(member)) == (7, 1)


def test_the_first_points_make_a_level_one_member_and_losing_them_level_zero(member):
    idea = IdeaFactory(author=member)
    voter = UserFactory()
    assert level(member) == 0
    vote_cast(idea=idea, member=voter)
    assert (total_points(member), level(member)) == (D.vote_received, 1)
    vote_withdraw(idea=idea, member=voter)
    assert (total_points(member), level(member)) == (0, 0)


def test_a_vote_worth_nothing_writes_no_entry(member):
    site_settings(vote_received=0)
    vote_cast(idea=IdeaFactory(author=member), member=UserFactory())
    assert not PointsEntry.objects.filter(member=member).exists()
    assert total_points(member) == 0


def test_an_inactive_author_earns_nothing(member):
    idea = IdeaFactory(author=member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    vote_cast(idea=Idea.objects.get(pk=idea.pk), member=UserFactory())
    assert not PointsEntry.objects.filter(member=member).exists()


def test_vote_withdraw_vote_again_is_a_new_award_and_the_ledger_replays_to_itself(member):
    idea = IdeaFactory(author=member)
    voter = UserFactory()
    for _ in range(3):
        vote_cast(idea=idea, member=voter)
        vote_withdraw(idea=idea, member=voter)
    vote_cast(idea=idea, member=voter)
    entries = PointsEntry.objects.filter(member=member, reason=Reason.VOTE_RECEIVED)
    assert entries.filter(is_reversal=False).count() == 4
    assert entries.filter(is_reversal=True).count() == 3
    assert total_points(member) == ledger_points(member) == D.vote_received
    # The general sync finds nothing to write for any of those votes, held or withdrawn.
    for vote_id in set(entries.values_list("object_id", flat=True)):
        assert points_sync_vote(vote_id=vote_id) == 0
    assert Vote.objects.filter(idea=idea).count() == 1


def test_a_reversal_gives_back_the_points_the_award_gave_not_todays_value(member):
    idea = IdeaFactory(author=member)
    voter = UserFactory()
    vote_cast(idea=idea, member=voter)
    site_settings(vote_received=9)
    vote_withdraw(idea=idea, member=voter)
    assert total_points(member) == 0 == ledger_points(member)
