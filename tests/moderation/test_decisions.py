"""Every transition of a case through `case_decide` / `appeal_decide`, who may take it, and
what it does to the item."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_comments_xtd.models import XtdComment

from core.exceptions import NotAllowed
from ideas.models import Event, Idea
from moderation.models import Appeal, Case, Decision, Flag, FlagReason
from moderation.services import (
    appeal_decide,
    appeal_submit,
    case_decide,
    case_hold,
    cases_decide,
    item_flag,
)
from tests.factories import IdeaFactory, UserFactory, comment_on, editor, team_member

pytestmark = pytest.mark.django_db
A = Decision.Action


def hidden_comment_case(comment, flaggers, settings):
    settings.MODERATION_HIDE_AT_FLAGS = 3
    for member in flaggers:
        item_flag(item=comment, member=member, reason=FlagReason.ABUSIVE)
    return Case.objects.get(comment=comment)


def held_idea(**fields):
    idea = IdeaFactory(status=Idea.Status.PENDING, **fields)
    return idea, case_hold(item=idea, reason="campaign")


def test_hiding_a_flagged_comment_needs_a_reason(comment, flaggers, mod, reason, settings):
    case = hidden_comment_case(comment, flaggers, settings)
    with pytest.raises(NotAllowed, match="Choose a reason"):
        case_decide(case=case, action=A.HIDE, actor=mod)
    decision = case_decide(case=case, action=A.HIDE, actor=mod, reason=reason, note="Be kind")
    case.refresh_from_db()
    assert case.status == Case.Status.HIDDEN and case.flag_count == 0
    assert not XtdComment.objects.get(pk=comment.pk).is_public
    assert set(Flag.objects.values_list("upheld", flat=True)) == {True}
    assert decision.note == "Be kind" and decision.case_opened_at == case.opened_at


def test_restoring_a_hidden_comment_shows_it_and_counts_it(
    comment, flaggers, mod, reason, settings
):
    case = hidden_comment_case(comment, flaggers, settings)
    case_decide(case=case, action=A.HIDE, actor=mod, reason=reason)
    case_decide(case=case, action=A.RESTORE, actor=mod)
    assert XtdComment.objects.get(pk=comment.pk).is_public
    assert Idea.objects.get(pk=comment.object_pk).comment_count == 1
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLEARED


def test_dismissing_flags_keeps_the_item_and_marks_them_not_upheld(idea, mod, member):
    item_flag(item=idea, member=member, reason=FlagReason.SPAM)
    case = Case.objects.get(idea=idea, comment=None)
    case_decide(case=case, action=A.APPROVE, actor=mod)
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.PUBLISHED
    assert Flag.objects.get().upheld is False
    # The author never knew of the flags: nothing to tell them.
    assert not Event.objects.filter(kind=Event.Kind.MODERATION).exists()


def test_approving_a_held_idea_publishes_it_with_its_date_and_starts_the_flow(mod):
    idea, case = held_idea()
    created = idea.created_at
    case_decide(case=case, action=A.APPROVE, actor=mod)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PUBLISHED and idea.created_at == created
    assert Idea.objects.public().filter(pk=idea.pk).exists()
    kinds = set(Event.objects.filter(idea=idea).values_list("kind", flat=True))
    assert kinds == {Event.Kind.IDEA_CREATED, Event.Kind.MODERATION}


def test_rejecting_a_held_idea_needs_a_reason_and_writes_rejected(mod, reason):
    idea, case = held_idea()
    with pytest.raises(NotAllowed):
        case_decide(case=case, action=A.REJECT, actor=mod)
    case_decide(case=case, action=A.REJECT, actor=mod, reason=reason)
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.REJECTED


def test_approving_a_held_comment_publishes_it(idea, mod):
    comment = comment_on(idea, is_public=False)
    case = case_hold(item=comment, reason="new_member")
    case_decide(case=case, action=A.APPROVE, actor=mod)
    assert XtdComment.objects.get(pk=comment.pk).is_public
    assert Event.objects.filter(kind=Event.Kind.COMMENT_CREATED, comment_id=comment.pk).exists()


def test_moves_the_pipeline_does_not_declare_are_refused(mod, reason, idea, member):
    item_flag(item=idea, member=member, reason=FlagReason.SPAM)
    case = Case.objects.get(idea=idea)
    with pytest.raises(NotAllowed, match="cannot be given"):
        case_decide(case=case, action=A.REJECT, actor=mod, reason=reason)
    with pytest.raises(NotAllowed, match="cannot be given"):
        case_decide(case=case, action=A.RESTORE, actor=mod)


@pytest.mark.parametrize("role", ["anonymous", "member", "author", "editor"])
def test_only_moderators_decide(role, reason):
    idea, case = held_idea()
    actor = {
        "anonymous": AnonymousUser(),
        "member": UserFactory(),
        "author": idea.author,
        "editor": editor(),
    }[role]
    with pytest.raises(NotAllowed, match="Only moderators"):
        case_decide(case=case, action=A.APPROVE, actor=actor)


@pytest.mark.parametrize("role", ["moderator", "product_team", "superuser"])
def test_moderators_the_team_and_superusers_decide(role, mod):
    idea, case = held_idea()
    actor = {
        "moderator": mod,
        "product_team": team_member(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }[role]
    case_decide(case=case, action=A.APPROVE, actor=actor)
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.PUBLISHED


def test_bulk_decisions_report_what_they_refused(mod, reason):
    cases = [held_idea()[1] for _ in range(3)]
    case_decide(case=cases[0], action=A.APPROVE, actor=mod)
    decided, refused = cases_decide(cases=cases, action=A.REJECT, actor=mod, reason=reason)
    assert len(decided) == 2 and [c.pk for c, _r in refused] == [cases[0].pk]


# Appeals ----------------------------------------------------------------------------------


def test_the_author_appeals_once_and_an_overturn_restores(comment, flaggers, mod, reason, settings):
    case = hidden_comment_case(comment, flaggers, settings)
    decision = case_decide(case=case, action=A.HIDE, actor=mod, reason=reason)
    with pytest.raises(NotAllowed, match="Only the author"):
        appeal_submit(decision=decision, author=flaggers[0], text="Please")
    with pytest.raises(NotAllowed, match="at most 1000"):
        appeal_submit(decision=decision, author=comment.user, text="x" * 1001)
    with pytest.raises(NotAllowed, match="why"):
        appeal_submit(decision=decision, author=comment.user, text="   ")
    appeal = appeal_submit(decision=decision, author=comment.user, text="It was a joke.")
    with pytest.raises(NotAllowed, match="once"):
        appeal_submit(decision=decision, author=comment.user, text="Again")
    outcome = appeal_decide(appeal=appeal, action=A.OVERTURN, actor=mod, note="Fair point")
    assert XtdComment.objects.get(pk=comment.pk).is_public
    assert Appeal.objects.get().status == Appeal.Status.OVERTURNED
    assert set(Flag.objects.values_list("upheld", flat=True)) == {False}
    assert not outcome.is_appealable
    with pytest.raises(NotAllowed, match="final"):
        appeal_decide(appeal=appeal, action=A.UPHOLD, actor=mod)
    with pytest.raises(NotAllowed, match="cannot be appealed"):
        appeal_submit(decision=outcome, author=comment.user, text="More")


def test_an_upheld_appeal_leaves_the_item_hidden(mod, reason):
    idea, case = held_idea()
    decision = case_decide(case=case, action=A.REJECT, actor=mod, reason=reason)
    appeal = appeal_submit(decision=decision, author=idea.author, text="It is on topic.")
    appeal_decide(appeal=appeal, action=A.UPHOLD, actor=mod)
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.REJECTED
    assert Appeal.objects.get().status == Appeal.Status.UPHELD


def test_an_overturned_rejection_publishes_the_idea(mod, reason):
    idea, case = held_idea()
    decision = case_decide(case=case, action=A.REJECT, actor=mod, reason=reason)
    appeal = appeal_submit(decision=decision, author=idea.author, text="It is on topic.")
    appeal_decide(appeal=appeal, action=A.OVERTURN, actor=mod)
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.PUBLISHED


def test_approvals_cannot_be_appealed(mod):
    idea, case = held_idea()
    decision = case_decide(case=case, action=A.APPROVE, actor=mod)
    with pytest.raises(NotAllowed, match="cannot be appealed"):
        appeal_submit(decision=decision, author=idea.author, text="Why?")


def test_only_moderators_decide_appeals(mod, reason):
    idea, case = held_idea()
    decision = case_decide(case=case, action=A.REJECT, actor=mod, reason=reason)
    appeal = appeal_submit(decision=decision, author=idea.author, text="It is on topic.")
    with pytest.raises(NotAllowed):
        appeal_decide(appeal=appeal, action=A.OVERTURN, actor=idea.author)


def test_content_held_by_the_guards_lands_in_the_queue(idea):
    """Helper B's guards announce holds with `ideas.signals.content_held`."""
    from ideas.signals import content_held

    comment = comment_on(idea, is_public=False)
    content_held.send(sender=XtdComment, instance=comment, reason="blocked_words")
    content_held.send(sender=XtdComment, instance=comment, reason="blocked_words")
    case = Case.objects.get(comment=comment)
    assert case.status == Case.Status.PENDING and case.held_reason == "blocked_words"


def test_approving_an_item_hidden_by_flags_shows_it_again(comment, flaggers, mod, settings):
    case = hidden_comment_case(comment, flaggers, settings)
    case_decide(case=case, action=A.APPROVE, actor=mod)
    assert XtdComment.objects.get(pk=comment.pk).is_public
    assert set(Flag.objects.values_list("upheld", flat=True)) == {False}
    assert not Event.objects.filter(kind=Event.Kind.MODERATION).exists()
