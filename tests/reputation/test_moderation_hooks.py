"""What moderation calls: `points_reverse(subject=…)` and the receiver-ready `content_hidden`
take back, for good, the points of an idea or a comment a moderator hid."""

import pytest
from django.dispatch import Signal

from ideas.models import Idea
from reputation.receivers import content_hidden
from reputation.services import comment_mark_helpful, points_reverse, points_sync_ideas
from tests.factories import (
    IdeaFactory,
    UserFactory,
    comment_on,
    ledger_points,
    like,
    team_member,
    total_points,
)
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def test_reversing_an_idea_takes_back_its_points_and_its_votes(member):
    idea = IdeaFactory(author=member)
    points_sync_ideas(ideas=[idea])
    vote_cast(idea=idea, member=UserFactory())
    assert total_points(member) > 0
    assert points_reverse(subject=idea) < 0
    assert total_points(member) == 0 == ledger_points(member)
    # Final: looking at the idea again gives nothing back.
    points_sync_ideas(ideas=[idea])
    assert total_points(member) == 0


def test_reversing_a_comment_takes_back_helpful_and_like_points(member):
    comment = comment_on(IdeaFactory(), member)
    comment_mark_helpful(comment=comment, actor=team_member())
    like(comment, UserFactory())
    assert total_points(member) > 0
    points_reverse(subject=comment)
    assert total_points(member) == 0 == ledger_points(member)


def test_reversing_twice_takes_nothing_more(member):
    idea = IdeaFactory(author=member)
    points_sync_ideas(ideas=[idea])
    points_reverse(subject=idea)
    assert points_reverse(subject=idea) == 0


def test_the_receiver_can_be_connected_to_a_moderation_signal(member):
    content_was_hidden = Signal()
    content_was_hidden.connect(content_hidden, sender=Idea, dispatch_uid="test.hidden")
    idea = IdeaFactory(author=member)
    points_sync_ideas(ideas=[idea])
    content_was_hidden.send(sender=Idea, instance=idea)
    assert total_points(member) == 0


def test_other_subjects_are_refused():
    with pytest.raises(TypeError):
        points_reverse(subject=UserFactory())
