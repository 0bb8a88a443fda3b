"""Flags: one per member and item, a reason (text for “other”), only on what the member may
see, and hidden pending review at the configured number of flags."""

import pytest
from django_comments_xtd.models import XtdComment

from core.exceptions import NotAllowed
from ideas.models import Idea
from moderation.models import Case, Flag, FlagReason
from moderation.services import AlreadyFlagged, item_flag
from tests.factories import IdeaFactory, SegmentFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db


def test_a_member_flags_a_comment_once(comment, member):
    item_flag(item=comment, member=member, reason=FlagReason.SPAM)
    with pytest.raises(AlreadyFlagged, match="already reported"):
        item_flag(item=comment, member=member, reason=FlagReason.ABUSIVE)
    case = Case.objects.get(comment=comment)
    assert case.kind == Case.Kind.COMMENT and case.status == Case.Status.FLAGGED
    assert case.flag_count == 1 and Flag.objects.count() == 1


def test_other_needs_a_text(idea, member):
    with pytest.raises(NotAllowed, match="what is wrong"):
        item_flag(item=idea, member=member, reason=FlagReason.OTHER, text="  ")
    flag = item_flag(item=idea, member=member, reason=FlagReason.OTHER, text="Copied from X")
    assert flag.text == "Copied from X"


def test_an_unknown_reason_is_refused(idea, member):
    with pytest.raises(NotAllowed):
        item_flag(item=idea, member=member, reason="boring")


def test_authors_cannot_flag_their_own_content(comment):
    with pytest.raises(NotAllowed, match="your own"):
        item_flag(item=comment, member=comment.user, reason=FlagReason.SPAM)


def test_visitors_cannot_flag(idea):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed, match="Sign in"):
        item_flag(item=idea, member=AnonymousUser(), reason=FlagReason.SPAM)


def test_members_outside_the_audience_cannot_flag(member, django_capture_on_commit_callbacks):
    campaign = make_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        campaign.audience.set([SegmentFactory()])
        campaign.save_revision().publish()
    idea = IdeaFactory(campaign=campaign)
    with pytest.raises(NotAllowed, match="not available"):
        item_flag(item=idea, member=member, reason=FlagReason.SPAM)


def test_pending_ideas_cannot_be_flagged(member):
    idea = IdeaFactory(status=Idea.Status.PENDING)
    with pytest.raises(NotAllowed):
        item_flag(item=idea, member=member, reason=FlagReason.SPAM)


def test_three_flags_hide_a_comment_pending_review(comment, flaggers, settings):
    settings.MODERATION_HIDE_AT_FLAGS = 3
    idea = Idea.objects.get(pk=comment.object_pk)
    assert idea.comment_count == 1
    for member in flaggers[:2]:
        item_flag(item=comment, member=member, reason=FlagReason.ABUSIVE)
    assert XtdComment.objects.get(pk=comment.pk).is_public
    item_flag(item=comment, member=flaggers[2], reason=FlagReason.SPAM)
    case = Case.objects.get(comment=comment)
    assert case.status == Case.Status.HIDDEN_PENDING and case.flag_count == 3
    assert not XtdComment.objects.get(pk=comment.pk).is_public
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_the_threshold_is_a_setting(idea, flaggers, settings):
    settings.MODERATION_HIDE_AT_FLAGS = 2
    for member in flaggers[:2]:
        item_flag(item=idea, member=member, reason=FlagReason.SPAM)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.HIDDEN
    assert not Idea.objects.public().filter(pk=idea.pk).exists()


def test_a_hidden_item_cannot_be_flagged_again(idea, flaggers, settings):
    settings.MODERATION_HIDE_AT_FLAGS = 1
    item_flag(item=idea, member=flaggers[0], reason=FlagReason.SPAM)
    with pytest.raises(NotAllowed):
        item_flag(item=Idea.objects.get(pk=idea.pk), member=UserFactory(), reason="spam")
