"""Moderation and points: members' flags alone never take an author's points (the item is only
hidden until a moderator looks); a moderator who hides it takes them, for good."""

import pytest

from moderation.models import Case, Decision, FlagReason, ModerationReason
from moderation.services import case_decide, item_flag
from reputation.services import points_sync_comment, points_sync_ideas
from tests.factories import (
    IdeaFactory,
    UserFactory,
    comment_on,
    like,
    moderator,
    total_points,
)

pytestmark = pytest.mark.django_db
Action = Decision.Action


def flag_three_times(item):
    for _n in range(3):
        item_flag(item=item, member=UserFactory(), reason=FlagReason.SPAM)
    return Case.objects.get(
        idea_id=item.pk if not hasattr(item, "comment") else item.object_pk,
        comment_id=item.pk if hasattr(item, "comment") else None,
    )


def test_an_idea_hidden_by_flags_keeps_its_points_until_a_moderator_hides_it(
    member, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(author=member)
    points_sync_ideas(ideas=[idea])
    earned = total_points(member)
    assert earned > 0
    with django_capture_on_commit_callbacks(execute=True):
        case = flag_three_times(idea)
    assert case.status == Case.Status.HIDDEN_PENDING
    assert total_points(member) == earned
    reason = ModerationReason.objects.get(code="abusive")
    with django_capture_on_commit_callbacks(execute=True):
        case_decide(case=case, action=Action.HIDE, actor=moderator(), reason=reason)
    assert total_points(member) == 0


def test_restoring_what_flags_hid_leaves_the_points_alone(
    member, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(author=member)
    points_sync_ideas(ideas=[idea])
    earned = total_points(member)
    with django_capture_on_commit_callbacks(execute=True):
        case = flag_three_times(idea)
        case_decide(case=case, action=Action.RESTORE, actor=moderator())
    points_sync_ideas(ideas=[idea])
    assert total_points(member) == earned


def test_a_liked_comment_hidden_by_flags_keeps_its_points(
    member, django_capture_on_commit_callbacks
):
    comment = comment_on(IdeaFactory(), member)
    like(comment, UserFactory())
    earned = total_points(member)
    assert earned > 0
    with django_capture_on_commit_callbacks(execute=True):
        flag_three_times(comment)
    comment.refresh_from_db()
    assert not comment.is_public
    points_sync_comment(comment=comment)
    assert total_points(member) == earned
