"""Every moderation action is in Wagtail's audit log on the item, with who and why."""

import pytest
from wagtail.models import ModelLogEntry

from ideas.models import Idea
from moderation.models import Case, Decision, FlagReason
from moderation.services import appeal_submit, case_decide, case_hold, item_flag
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_decisions_are_logged_on_the_idea_with_reason_and_note(mod, reason):
    idea = IdeaFactory(status=Idea.Status.PENDING)
    case = case_hold(item=idea, reason="campaign")
    decision = case_decide(
        case=case, action=Decision.Action.REJECT, actor=mod, reason=reason, note="See rule 2"
    )
    appeal_submit(decision=decision, author=idea.author, text="Please look again")
    entries = list(ModelLogEntry.objects.for_instance(idea).order_by("pk"))
    assert [e.action for e in entries] == ["cocrea_moderation.reject", "cocrea_moderation.appeal"]
    assert entries[0].user_id == mod.pk and entries[0].data["reason"] == "abusive"
    assert entries[0].data["note"] == "See rule 2"
    assert entries[0].message == "Rejected by a moderator"
    assert "See rule 2" in entries[0].comment
    assert entries[1].user_id == idea.author_id


def test_the_auto_hide_and_a_comment_decision_are_logged_on_the_comment(
    comment, flaggers, mod, reason, settings
):
    settings.MODERATION_HIDE_AT_FLAGS = 3
    for member in flaggers:
        item_flag(item=comment, member=member, reason=FlagReason.SPAM)
    case = Case.objects.get(comment=comment)
    case_decide(case=case, action=Decision.Action.HIDE, actor=mod, reason=reason)
    actions = list(
        ModelLogEntry.objects.for_instance(comment).order_by("pk").values_list("action", "user")
    )
    assert actions == [("cocrea_moderation.auto_hide", None), ("cocrea_moderation.hide", mod.pk)]


def test_the_idea_history_in_the_workspace_shows_moderation(client, mod, reason):
    from django.contrib.auth.models import Group

    idea = IdeaFactory(status=Idea.Status.PENDING)
    case_decide(
        case=case_hold(item=idea, reason="campaign"),
        action=Decision.Action.REJECT,
        actor=mod,
        reason=reason,
    )
    superuser = type(mod).objects.create_superuser("root", "root@example.com", "pw-long-enough")
    assert Group.objects.filter(name="Moderators").exists()
    client.force_login(superuser)
    page = client.get(f"/admin/ideas/history/{idea.pk}/")
    assert page.status_code == 200
    assert "Rejected by a moderator" in page.content.decode()
