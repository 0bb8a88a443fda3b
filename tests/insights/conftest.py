"""A fixed community for the KPI tests: two campaigns, four members (two in a segment), one
product team member, ideas, votes, comments, stage changes, helpful marks and points, all at
fixed times in March 2026 (ISO weeks 10 and 11). The figures each test expects are worked out
by hand from this data (see the comments)."""

from datetime import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ideas.models import Idea, IdeaStageChange, Stage
from members.models import User
from reputation.models import HelpfulMark, PointsEntry
from segments.models import SegmentMembership
from tests.factories import (
    IdeaFactory,
    SegmentFactory,
    UserFactory,
    comment_on,
    make_campaign,
    team_member,
)
from voting.models import Vote


def at(day, hour=10):
    """2026-03-<day> at <hour>:00 in the site's time zone."""
    return timezone.make_aware(datetime(2026, 3, day, hour))


def joined(user, when):
    User.objects.filter(pk=user.pk).update(date_joined=when)


def idea(campaign, author, day, hour=10, role=Stage.Role.INITIAL, **fields):
    made = IdeaFactory(campaign=campaign, author=author, **fields)
    Idea.objects.filter(pk=made.pk).update(created_at=at(day, hour), stage=Stage.for_role(role))
    made.refresh_from_db()
    return made


def move(made, role, actor, day, hour, note=""):
    IdeaStageChange.objects.create(
        idea=made,
        from_stage=made.stage,
        to_stage=Stage.for_role(role),
        actor=actor,
        note=note,
        created_at=at(day, hour),
    )


def vote(made, member, day, hour):
    return Vote.objects.create(
        idea=made, member=member, campaign=made.campaign, created_at=at(day, hour)
    )


def comment(made, user, day, hour, **fields):
    made_comment = comment_on(made, user)
    type(made_comment).objects.filter(pk=made_comment.pk).update(
        submit_date=at(day, hour), **fields
    )
    return made_comment


def points(member, value, day, campaign, reversal=False):
    from django.contrib.contenttypes.models import ContentType

    PointsEntry.objects.create(
        member=member,
        points=value,
        reason="idea_published",
        is_reversal=reversal,
        content_type=ContentType.objects.get_for_model(User),
        object_id=PointsEntry.objects.count() + 1000,
        campaign=campaign,
        created_at=at(day),
    )


@pytest.fixture
def community(db):
    a = make_campaign(title="Savings app", slug="savings-app")
    b = make_campaign(title="Cards", slug="cards")
    alice, bob, carol, dave = (UserFactory(username=n) for n in ("alice", "bob", "carol", "dave"))
    team = team_member(username="tess")
    joined(alice, at(1, 9) - timezone.timedelta(days=28))  # February
    joined(bob, at(3, 9))  # week 10
    joined(carol, at(10, 9))  # week 11
    joined(dave, at(1) - timezone.timedelta(days=59))  # January
    joined(team, at(1) - timezone.timedelta(days=59))
    segment = SegmentFactory(name="Premium")
    for member in (alice, bob):
        SegmentMembership.objects.create(segment=segment, member=member)

    # Ideas (i5 waits for moderation: never counted).
    i1 = idea(a, alice, 2, 10, role=Stage.Role.SHIPPED)
    i2 = idea(a, bob, 3, 10, role=Stage.Role.REVIEW)
    i3 = idea(a, carol, 10, 10, role=Stage.Role.DECLINED)
    i4 = idea(b, alice, 10, 12)
    idea(b, dave, 11, 10, status=Idea.Status.PENDING)

    # Official responses: i1 after 2 h, i3 after 24 h; i1 went through planned to shipped.
    move(i1, Stage.Role.PLANNED, team, 2, 12, note="Thanks, this is planned.")
    move(i1, Stage.Role.SHIPPED, team, 9, 10, note="Shipped.")
    move(i3, Stage.Role.DECLINED, team, 11, 10, note="Not for now.")

    vote(i1, bob, 2, 11)
    vote(i1, carol, 10, 11)
    vote(i2, alice, 3, 12)
    vote(i4, bob, 11, 9)

    comment(i2, team, 3, 14)  # a staff reply: i2's first team response, after 4 h
    c2 = comment(i1, carol, 2, 15)  # helpful, 5 h after i1
    c3 = comment(i3, bob, 10, 20)  # helpful, 10 h after i3
    comment(i4, alice, 11, 10)
    comment(i1, bob, 11, 11, is_removed=True)  # removed: never counted
    HelpfulMark.objects.create(comment=c2, marked_by=team)
    HelpfulMark.objects.create(comment=c3, marked_by=team)

    # The ledger: only these entries (the receivers' own awards are dropped).
    PointsEntry.objects.all().delete()
    points(alice, 10, 2, a)
    points(alice, 50, 9, a)
    points(bob, 15, 10, a)
    points(carol, 10, 10, a)
    points(carol, -10, 11, a, reversal=True)
    points(team, 100, 10, a)  # staff: never ranked
    points(bob, 2, 11, b)
    return SimpleNamespace(
        a=a,
        b=b,
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        team=team,
        segment=segment,
        ideas=(i1, i2, i3, i4),
    )
