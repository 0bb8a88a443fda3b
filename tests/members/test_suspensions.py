"""Suspensions: moderators suspend a member until a day or permanently, with a reason, and lift
it; who may; the history, the audit log and the message a suspended member reads."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from core.exceptions import NotAllowed
from members.models import Suspension
from members.permissions import refuse_if_suspended, suspension_in_force
from members.services import (
    LIFT_ACTION,
    SUSPEND_ACTION,
    member_suspend,
    member_suspension_lift,
)
from tests.factories import UserFactory, editor, moderator, suspend, team_member

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.now() + timedelta(days=n)


def test_a_moderator_suspends_a_member_until_a_day_and_the_member_reads_until_when():
    member = UserFactory()
    until = timezone.make_aware(datetime.datetime(2099, 1, 12))
    suspension = member_suspend(member=member, until=until, reason="Spam", actor=moderator())
    assert suspension_in_force(member) == suspension
    with pytest.raises(NotAllowed) as refused:
        refuse_if_suspended(member)
    assert refused.value.reason == (
        "Your account is suspended until 12 January 2099: you can read but not post."
    )


def test_a_permanent_suspension_says_so():
    member = UserFactory()
    suspend(member, permanent=True)
    with pytest.raises(NotAllowed) as refused:
        refuse_if_suspended(member)
    assert refused.value.reason == (
        "Your account is suspended permanently: you can read but not post."
    )


def test_the_message_is_in_spanish_for_a_spanish_member():
    member = UserFactory(language="es")
    until = timezone.make_aware(datetime.datetime(2099, 1, 12))
    member_suspend(member=member, until=until, reason="Spam", actor=moderator())
    with translation.override("es"), pytest.raises(NotAllowed) as refused:
        refuse_if_suspended(member)
    assert refused.value.reason == (
        "Tu cuenta está suspendida hasta el 12 de enero de 2099: puedes leer, pero no publicar."
    )


def test_a_suspension_that_ran_out_no_longer_holds():
    member = UserFactory()
    suspension = suspend(member, days=3)
    Suspension.objects.filter(pk=suspension.pk).update(until=timezone.now() - timedelta(minutes=1))
    assert suspension_in_force(member) is None
    refuse_if_suspended(member)  # does not raise


@pytest.mark.parametrize("who", ["member", "editor"])
def test_only_moderators_suspend(who):
    actor = UserFactory() if who == "member" else editor()
    with pytest.raises(NotAllowed):
        member_suspend(member=UserFactory(), until=None, reason="Spam", actor=actor)
    assert not Suspension.objects.exists()


@pytest.mark.parametrize("who", ["product_team", "superuser"])
def test_the_product_team_and_superusers_moderate_too(who):
    actor = team_member() if who == "product_team" else UserFactory(is_superuser=True)
    member_suspend(member=UserFactory(), until=None, reason="Spam", actor=actor)
    assert Suspension.objects.count() == 1


@pytest.mark.parametrize("target", ["staff", "superuser", "self"])
def test_a_moderator_cannot_suspend_staff_superusers_or_themselves(target):
    actor = moderator()
    member = {
        "staff": lambda: UserFactory(is_staff=True),
        "superuser": lambda: UserFactory(is_superuser=True),
        "self": lambda: actor,
    }[target]()
    with pytest.raises(NotAllowed):
        member_suspend(member=member, until=None, reason="Spam", actor=actor)
    assert not Suspension.objects.exists()


def test_a_reason_is_required_and_the_end_must_be_in_the_future():
    member, actor = UserFactory(), moderator()
    with pytest.raises(NotAllowed, match="Say why"):
        member_suspend(member=member, until=in_days(3), reason="  ", actor=actor)
    with pytest.raises(NotAllowed, match="future"):
        member_suspend(member=member, until=in_days(-1), reason="Spam", actor=actor)
    assert not Suspension.objects.exists()


def test_lifting_ends_the_suspension_and_keeps_the_history():
    member, actor = UserFactory(), moderator()
    first = suspend(member, days=10, actor=actor)
    second = suspend(member, days=20, actor=actor)  # replaces the first: one open at a time
    first.refresh_from_db()
    assert first.lifted_at is not None and suspension_in_force(member) == second
    lifted = member_suspension_lift(member=member, actor=actor, note="Apologised.")
    assert lifted.pk == second.pk and lifted.lifted_by == actor and lifted.lift_note
    assert suspension_in_force(member) is None
    assert Suspension.objects.filter(member=member).count() == 2
    with pytest.raises(NotAllowed, match="not suspended"):
        member_suspension_lift(member=member, actor=actor)


def test_only_moderators_lift():
    member = UserFactory()
    suspend(member)
    with pytest.raises(NotAllowed):
        member_suspension_lift(member=member, actor=UserFactory())
    assert suspension_in_force(member) is not None


def test_suspending_and_lifting_are_in_the_audit_log_with_who_and_why():
    member, actor = UserFactory(), moderator(username="mod_maria")
    suspend(member, days=5, reason="Insults in three threads.", actor=actor)
    member_suspension_lift(member=member, actor=actor, note="Second chance.")
    entries = list(ModelLogEntry.objects.for_instance(member).order_by("timestamp", "pk"))
    assert [e.action for e in entries] == [SUSPEND_ACTION, LIFT_ACTION]
    assert all(e.user == actor for e in entries)
    assert entries[0].data["reason"] == "Insults in three threads."
    assert entries[1].data["note"] == "Second chance."
    assert entries[0].message == "Member suspended"
    assert entries[1].message == "Suspension lifted"


def test_the_signed_in_member_comes_with_their_suspension_state(client, django_assert_num_queries):
    """No query per page or write to ask whether the signed-in member is suspended; a
    suspension given since the last request holds at the next one."""
    from django.contrib.auth import get_user

    member = UserFactory()
    client.force_login(member)
    request = client.get("/").wsgi_request
    user = get_user(request)
    with django_assert_num_queries(0):
        assert suspension_in_force(user) is None
    suspend(member, days=3)
    user = get_user(client.get("/").wsgi_request)
    assert suspension_in_force(user) is not None
    with pytest.raises(NotAllowed, match="suspended until"):
        refuse_if_suspended(user)
