"""The author is told of each decision — in the site and by e-mail, in their language, with the
reason, its code-of-conduct clause, the way to appeal and the unsubscribe link."""

import pytest
from django.core import mail

from ideas.models import Idea
from moderation.models import Case, Decision, FlagReason
from moderation.services import appeal_decide, appeal_submit, case_decide, case_hold, item_flag
from notifications.messages import describe, notifications_for_display
from notifications.models import Notification, NotificationKind
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db
A = Decision.Action


def test_a_hidden_comments_author_is_told_why_and_can_appeal(
    comment, flaggers, mod, reason, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_HIDE_AT_FLAGS = 3
    with django_capture_on_commit_callbacks(execute=True):
        for member in flaggers:
            item_flag(item=comment, member=member, reason=FlagReason.ABUSIVE)
        case = Case.objects.get(comment=comment)
        decision = case_decide(case=case, action=A.HIDE, actor=mod, reason=reason, note="Calm")
    notification = Notification.objects.get(kind=NotificationKind.MODERATION)
    assert notification.recipient_id == comment.user_id
    assert (
        not Notification.objects.exclude(pk=notification.pk).filter(recipient__in=flaggers).exists()
    )
    entry = describe(notification)
    assert "hid your comment" in entry["headline"]
    assert reason.clause in entry["detail"] and "Calm" in entry["detail"]
    assert entry["url"] == f"/moderation/decisions/{decision.pk}/"
    [message] = [m for m in mail.outbox if m.to == [comment.user.email]]
    assert "hid your comment" in message.subject
    assert reason.clause in message.body and "appeal" in message.body
    assert "a moderator decided on your content" in message.body
    assert f"/moderation/decisions/{decision.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/")


def test_the_e_mail_is_in_spanish_for_a_spanish_member(
    mod, reason, django_capture_on_commit_callbacks
):
    author = UserFactory(language="es")
    idea = IdeaFactory(status=Idea.Status.PENDING, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        case_decide(
            case=case_hold(item=idea, reason="campaign"), action=A.REJECT, actor=mod, reason=reason
        )
    [message] = mail.outbox
    assert "no se ha publicado" in message.subject
    assert reason.clause_es in message.body
    assert "un moderador ha tomado una decisión sobre tu contenido" in message.body
    assert "/es/moderation/decisions/" in message.body
    assert "/es/unsubscribe/" in message.body or "/unsubscribe/" in message.body


def test_approval_and_the_appeal_outcome_are_told_too(
    mod, reason, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(status=Idea.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        decision = case_decide(
            case=case_hold(item=idea, reason="campaign"), action=A.REJECT, actor=mod, reason=reason
        )
        appeal = appeal_submit(decision=decision, author=idea.author, text="It fits the brief")
        appeal_decide(appeal=appeal, action=A.OVERTURN, actor=mod)
    headlines = [
        describe(n)["headline"]
        for n in notifications_for_display(
            Notification.objects.filter(recipient=idea.author)
        ).order_by("pk")
    ]
    assert len(headlines) == 2
    assert "was not published" in headlines[0] and "accepted" in headlines[1]


def test_notifications_about_hidden_content_leave_the_centre(
    idea, mod, reason, flaggers, settings, django_capture_on_commit_callbacks
):
    from ideas.models import Event

    follower = UserFactory()
    event = Event.objects.create(kind=Event.Kind.IDEA_CREATED, idea=idea)
    Notification.objects.create(recipient=follower, event=event, kind=NotificationKind.COMMENT)
    assert notifications_for_display(Notification.objects.filter(recipient=follower)).exists()
    settings.MODERATION_HIDE_AT_FLAGS = 3
    for member in flaggers:
        item_flag(item=idea, member=member, reason=FlagReason.SPAM)
    assert not notifications_for_display(Notification.objects.filter(recipient=follower)).exists()
