"""A member is told by e-mail when a moderator suspends them and when the suspension is lifted:
one delivery row each, written with the suspension, sent by the one outbox in the member's
language."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core import outbox
from members.services import member_suspend, member_suspension_lift
from notifications.account import CHANNEL
from notifications.models import AccountEmailDelivery
from tests.factories import UserFactory, moderator

pytestmark = pytest.mark.django_db

UNTIL = datetime.datetime(2099, 1, 12)


def send_all():
    for pk in AccountEmailDelivery.objects.filter(status="pending").values_list("pk", flat=True):
        outbox.deliver(CHANNEL, pk)


def test_the_member_is_told_when_suspended_with_until_when_and_why():
    member = UserFactory(display_name="Sam")
    member_suspend(
        member=member,
        until=timezone.make_aware(UNTIL),
        reason="Links to a scam in three comments.",
        actor=moderator(),
    )
    delivery = AccountEmailDelivery.objects.get()
    assert delivery.recipient == member and delivery.kind == "suspended"
    send_all()
    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Your Cocrea account is suspended"
    assert "until 12 January 2099" in message.body
    assert "Links to a scam in three comments." in message.body
    assert "download it, delete your account" in message.body
    assert "/code-of-conduct/" in message.body
    assert "Links to a scam" in message.alternatives[0][0]
    assert "List-Unsubscribe" not in message.extra_headers
    assert AccountEmailDelivery.objects.get().status == "sent"


def test_a_permanent_suspension_and_its_lifting_are_told_too():
    member, actor = UserFactory(), moderator()
    member_suspend(member=member, until=None, reason="Hate speech.", actor=actor)
    member_suspension_lift(member=member, actor=actor, note="Reviewed on appeal.")
    assert list(AccountEmailDelivery.objects.order_by("pk").values_list("kind", flat=True)) == [
        "suspended",
        "lifted",
    ]
    send_all()
    suspended, lifted = mail.outbox
    assert "permanently" in suspended.body
    assert lifted.subject == "Your Cocrea account is no longer suspended"
    assert "Welcome back!" in lifted.body and "Reviewed on appeal." in lifted.body


def test_a_spanish_member_is_told_in_spanish():
    member = UserFactory(language="es")
    actor = moderator()
    member_suspend(member=member, until=timezone.make_aware(UNTIL), reason="Spam.", actor=actor)
    member_suspension_lift(member=member, actor=actor)
    send_all()
    suspended, lifted = mail.outbox
    assert suspended.subject == "Tu cuenta de Cocrea está suspendida"
    assert "hasta el 12 de enero de 2099" in suspended.body
    assert "Motivo: Spam." in suspended.body
    assert lifted.subject == "Tu cuenta de Cocrea ya no está suspendida"
    assert "¡Bienvenido de nuevo!" in lifted.body


def test_each_e_mail_is_sent_at_most_once():
    member = UserFactory()
    member_suspend(member=member, until=None, reason="Spam.", actor=moderator())
    pk = AccountEmailDelivery.objects.get().pk
    outbox.deliver(CHANNEL, pk)
    assert outbox.deliver(CHANNEL, pk) is None
    assert len(mail.outbox) == 1


def test_a_closed_account_gets_nothing():
    member = UserFactory()
    member_suspend(member=member, until=None, reason="Spam.", actor=moderator())
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    send_all()
    assert not mail.outbox
    assert AccountEmailDelivery.objects.get().status == "skipped"
