"""Campaign leaderboards: last 30 days and all time, staff excluded, paginated, public through
the campaign's audience."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ideas.models import Idea
from reputation.models import PointsEntry, Reason
from reputation.selectors import leaderboard
from reputation.views import LEADERBOARD_PAGE_SIZE
from segments.models import Segment
from tests.factories import IdeaFactory, UserFactory, make_campaign, team_member

pytestmark = pytest.mark.django_db


def earn(member, campaign, points, days_ago=0):
    idea = IdeaFactory(campaign=campaign)
    return PointsEntry.objects.create(
        member=member,
        points=points,
        reason=Reason.IDEA_PUBLISHED,
        content_type=ContentType.objects.get_for_model(Idea),
        object_id=idea.pk,
        idea=idea,
        campaign=campaign,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_ranks_members_by_points_in_the_campaign_and_period():
    campaign, other = make_campaign(), make_campaign()
    old, recent = UserFactory(), UserFactory()
    earn(old, campaign, 50, days_ago=60)
    earn(recent, campaign, 20, days_ago=1)
    earn(recent, other, 500)
    assert [r["member_id"] for r in leaderboard(campaign=campaign)] == [old.pk, recent.pk]
    assert [r["member_id"] for r in leaderboard(campaign=campaign, period="30d")] == [recent.pk]


def test_staff_are_not_ranked():
    campaign = make_campaign()
    earn(team_member(), campaign, 100)
    assert list(leaderboard(campaign=campaign)) == []


def test_the_leaderboard_page_is_public_and_paginated(client):
    campaign = make_campaign()
    for n in range(LEADERBOARD_PAGE_SIZE + 1):
        earn(UserFactory(display_name=f"Helper {n:02d}"), campaign, 100 - n)
    page = client.get(f"{campaign.url}leaderboard/").content.decode()
    assert "Helper 00" in page and "Helper 25" not in page and "Page 1 of 2" in page
    page = client.get(f"{campaign.url}leaderboard/?page=2").content.decode()
    assert "Helper 25" in page


def test_a_campaign_with_an_audience_hides_its_leaderboard_from_others(client, member):
    campaign = make_campaign()
    campaign.audience.add(Segment.objects.create(name="Premium", slug="premium"))
    campaign.save_revision().publish()
    client.force_login(member)
    assert client.get(f"{campaign.url}leaderboard/").status_code == 404
