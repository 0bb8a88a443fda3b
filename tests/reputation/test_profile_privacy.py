"""A member's public profile counts only the points and badges the viewer may see: what they
earned in a campaign with an audience the viewer is not in stays out."""

import pytest
from django.test import Client

from reputation.models import ReputationSettings
from reputation.services import points_sync_ideas
from segments.models import Segment, SegmentMembership
from tests.factories import IdeaFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db

D = ReputationSettings()


@pytest.fixture
def restricted_world(django_capture_on_commit_callbacks):
    author = UserFactory(username="maria")
    premium = Segment.objects.create(name="Premium", slug="premium")
    public = make_campaign()
    private = make_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        private.audience.add(premium)
        private.save_revision().publish()
    open_idea = IdeaFactory(campaign=public, author=author)
    private_ideas = [IdeaFactory(campaign=private, author=author) for _ in range(10)]
    points_sync_ideas(ideas=[open_idea, *private_ideas])
    insider = UserFactory()
    SegmentMembership.objects.create(segment=premium, member=insider)
    return author, insider


def profile(viewer, author):
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    return client.get(f"/members/{author.username}/").content.decode()


def points_of(html):
    import re

    return int(re.search(r"(\d+) points?</span>", html).group(1))


def test_an_outsider_sees_only_the_points_of_the_open_campaign(restricted_world):
    author, _insider = restricted_world
    html = profile(UserFactory(), author)
    assert points_of(html) == D.idea_published + D.first_idea
    assert "Ten ideas" not in html  # nine of the ten are in the restricted campaign
    assert "First idea" in html


def test_an_anonymous_visitor_sees_the_same_as_an_outsider(restricted_world):
    author, _insider = restricted_world
    html = profile(None, author)
    assert points_of(html) == D.idea_published + D.first_idea
    assert "Ten ideas" not in html


def test_a_member_of_the_audience_sees_every_point_and_badge(restricted_world):
    author, insider = restricted_world
    html = profile(insider, author)
    assert points_of(html) == 11 * D.idea_published + D.first_idea
    assert "Ten ideas" in html
