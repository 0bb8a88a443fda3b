"""Racing flags on the real PostgreSQL: one case per item, one flag per member, and the item
hidden exactly once at the threshold."""

import pytest
from django_comments_xtd.models import XtdComment
from wagtail.models import ModelLogEntry

from moderation.models import Case, Flag
from moderation.services import item_flag
from tests.factories import IdeaFactory, UserFactory, comment_on
from tests.voting.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_members_flagging_a_new_comment_at_once(settings):
    settings.MODERATION_HIDE_AT_FLAGS = 3
    comment = comment_on(IdeaFactory())
    members = UserFactory.create_batch(20)
    race(
        [
            lambda m=m: item_flag(
                item=XtdComment.objects.get(pk=comment.pk), member=m, reason="spam"
            )
            for m in members
        ]
    )
    case = Case.objects.get(comment=comment)
    # Members who loaded the comment after it was hidden were refused; the others all count.
    flags = Flag.objects.filter(case=case).count()
    assert 3 <= flags == case.flag_count <= 20
    assert case.status == Case.Status.HIDDEN_PENDING
    assert not XtdComment.objects.get(pk=comment.pk).is_public
    hides = ModelLogEntry.objects.filter(action="cocrea_moderation.auto_hide")
    assert hides.count() == 1


def test_one_member_flagging_twenty_times_at_once_flags_once():
    idea = IdeaFactory()
    member = UserFactory()
    race([lambda: item_flag(item=idea, member=member, reason="spam") for _ in range(20)])
    assert Flag.objects.filter(case__idea=idea, member=member).count() == 1
