"""`moderation_figures`: items reviewed, median time to decision, flags upheld, appeals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Idea
from moderation.models import Case, Decision, FlagReason
from moderation.selectors import moderation_figures
from moderation.services import appeal_decide, appeal_submit, case_decide, case_hold, item_flag
from tests.factories import IdeaFactory, UserFactory, comment_on, make_campaign

pytestmark = pytest.mark.django_db


def test_figures(mod, reason):
    campaign = make_campaign()
    empty = moderation_figures()
    assert empty["items_reviewed"] == 0 and empty["median_time_to_decision"] is None
    assert empty["flags_upheld_share"] is None

    # A comment flagged twice and hidden, after an hour in the queue.
    comment = comment_on(IdeaFactory(campaign=campaign))
    for _ in range(2):
        item_flag(item=comment, member=UserFactory(), reason=FlagReason.SPAM)
    case = Case.objects.get(comment=comment)
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(hours=1))
    hidden = case_decide(case=case, action="hide", actor=mod, reason=reason)
    # An idea flagged once, flags dismissed after three hours.
    idea = IdeaFactory()
    item_flag(item=idea, member=UserFactory(), reason=FlagReason.OFF_TOPIC)
    other = Case.objects.get(idea=idea, comment=None)
    Case.objects.filter(pk=other.pk).update(opened_at=timezone.now() - timedelta(hours=3))
    case_decide(case=other, action="approve", actor=mod)
    # A held idea rejected, appealed, upheld.
    pending = IdeaFactory(status=Idea.Status.PENDING)
    rejected = case_decide(
        case=case_hold(item=pending, reason="campaign"), action="reject", actor=mod, reason=reason
    )
    appeal_decide(
        appeal=appeal_submit(decision=rejected, author=pending.author, text="Why?"),
        action=Decision.Action.UPHOLD,
        actor=mod,
    )
    appeal_submit(decision=hidden, author=comment.user, text="Unfair")

    figures = moderation_figures()
    assert figures["items_reviewed"] == 3 and figures["decisions"] == 3
    assert timedelta(minutes=59) < figures["median_time_to_decision"] < timedelta(minutes=61)
    assert figures["flags"] == 3 and figures["flags_upheld"] == 2
    assert figures["flags_upheld_share"] == pytest.approx(2 / 3)
    assert figures["appeals"] == 2
    assert figures["appeals_open"] == 1 and figures["appeals_upheld"] == 1
    assert figures["appeals_overturned"] == 0

    by_campaign = moderation_figures(campaign=campaign)
    assert by_campaign["items_reviewed"] == 1 and by_campaign["flags"] == 2
    future = moderation_figures(since=timezone.now() + timedelta(minutes=1))
    assert future["items_reviewed"] == 0
    past = moderation_figures(until=timezone.now() - timedelta(days=1))
    assert past["decisions"] == 0
