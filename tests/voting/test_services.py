import pytest

from core.exceptions import NotAllowed
from ideas.models import Stage
from tests.factories import IdeaFactory, UserFactory, make_campaign
from voting.models import Vote
from voting.services import vote_cast, vote_withdraw, votes_left

pytestmark = pytest.mark.django_db


def test_member_vote_counts_once_even_when_sent_twice(member):
    idea = IdeaFactory()
    vote_cast(idea=idea, member=member)
    result = vote_cast(idea=idea, member=member)
    idea.refresh_from_db()
    assert idea.vote_count == 1 == result.vote_count
    assert Vote.objects.filter(idea=idea).count() == 1


def test_unvote_gives_the_vote_back(member):
    idea = IdeaFactory(campaign=make_campaign(vote_budget=2))
    vote_cast(idea=idea, member=member)
    assert votes_left(member=member, campaign=idea.campaign) == 1
    result = vote_withdraw(idea=idea, member=member)
    idea.refresh_from_db()
    assert (idea.vote_count, result.voted, result.votes_left) == (0, False, 2)


def test_withdrawing_a_vote_never_cast_changes_nothing(member):
    idea = IdeaFactory()
    vote_withdraw(idea=idea, member=member)
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_vote_budget_is_enforced(member):
    campaign = make_campaign(vote_budget=2)
    ideas = [IdeaFactory(campaign=campaign) for _ in range(3)]
    vote_cast(idea=ideas[0], member=member)
    vote_cast(idea=ideas[1], member=member)
    with pytest.raises(NotAllowed, match="all 2 of your votes"):
        vote_cast(idea=ideas[2], member=member)
    assert Vote.objects.filter(member=member).count() == 2


def test_votes_on_ideas_in_closed_stages_are_frozen(member):
    idea = IdeaFactory(stage=Stage.objects.get(slug="shipped"))
    with pytest.raises(NotAllowed, match="frozen"):
        vote_cast(idea=idea, member=member)


def test_budget_counts_only_ideas_still_open_for_votes(member):
    campaign = make_campaign(vote_budget=1)
    shipped = IdeaFactory(campaign=campaign)
    vote_cast(idea=shipped, member=member)
    shipped.stage = Stage.objects.get(slug="shipped")
    shipped.save()
    vote_cast(idea=IdeaFactory(campaign=campaign), member=member)  # the frozen vote is given back


@pytest.mark.parametrize("phase", ["upcoming", "closed"])
def test_votes_are_cast_only_in_the_voting_window(member, phase):
    idea = IdeaFactory(campaign=make_campaign(phase=phase))
    with pytest.raises(NotAllowed):
        vote_cast(idea=idea, member=member)


def test_voting_is_open_after_submissions_close(member):
    idea = IdeaFactory(campaign=make_campaign(phase="voting"))
    assert vote_cast(idea=idea, member=member).vote_count == 1


def test_anonymous_cannot_vote():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed, match="Sign in"):
        vote_cast(idea=IdeaFactory(), member=AnonymousUser())


def test_pending_ideas_cannot_be_voted(member):
    idea = IdeaFactory(status="pending")
    with pytest.raises(NotAllowed):
        vote_cast(idea=idea, member=member)


def test_counts_of_several_members_add_up():
    idea = IdeaFactory()
    for _ in range(5):
        vote_cast(idea=idea, member=UserFactory())
    idea.refresh_from_db()
    assert idea.vote_count == 5
    assert idea.trending > 0
