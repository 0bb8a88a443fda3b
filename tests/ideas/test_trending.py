"""Trending mixes votes and recency (docs/pipeline.md, "Trending"): (votes + 1) halved every two
days of age. On fixed data the order is neither newest nor top, and a vote moves an idea up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Idea, trending_score
from tests.factories import IdeaFactory, UserFactory, make_campaign
from voting.services import vote_cast

pytestmark = pytest.mark.django_db

# title: (age, votes)
IDEAS = {
    "Fresh and unvoted": (timedelta(hours=1), 0),
    "Two hours old, one vote": (timedelta(hours=2), 1),
    "A day old, five votes": (timedelta(days=1), 5),
    "Three days old, twelve votes": (timedelta(days=3), 12),
    "Two weeks old, forty votes": (timedelta(days=14), 40),
}


@pytest.fixture
def campaign():
    campaign = make_campaign()
    now = timezone.now()
    for title, (age, votes) in IDEAS.items():
        IdeaFactory(campaign=campaign, title=title, created_at=now - age, vote_count=votes)
    return campaign


def listed(client, campaign, sort=None):
    html = client.get(campaign.url, {"sort": sort} if sort else {}).content.decode()
    return sorted(IDEAS, key=html.index)


def test_the_formula_halves_votes_plus_one_every_two_days():
    now = timezone.now()
    assert trending_score(0, now) == pytest.approx(trending_score(1, now - timedelta(days=2)))
    assert trending_score(0, now) == pytest.approx(trending_score(3, now - timedelta(days=4)))
    assert trending_score(1, now) > trending_score(0, now)  # the first vote counts


def test_trending_is_neither_newest_nor_top_on_fresh_data(client, campaign):
    trending = [
        "Three days old, twelve votes",
        "A day old, five votes",
        "Two hours old, one vote",
        "Fresh and unvoted",
        "Two weeks old, forty votes",
    ]
    assert listed(client, campaign) == trending  # the default order
    assert listed(client, campaign, "trending") == trending
    assert listed(client, campaign, "newest") == sorted(IDEAS, key=lambda t: IDEAS[t][0])
    assert listed(client, campaign, "top") == sorted(IDEAS, key=lambda t: -IDEAS[t][1])
    api = client.get("/api/v1/ideas/", {"campaign": campaign.slug}).json()["results"]
    assert [row["title"] for row in api] == trending


def test_a_vote_updates_the_score_and_moves_the_idea_up(client, campaign):
    fresh = Idea.objects.get(title="Fresh and unvoted")
    vote_cast(idea=fresh, member=UserFactory())
    fresh.refresh_from_db()
    assert fresh.trending == pytest.approx(trending_score(1, fresh.created_at))
    order = listed(client, campaign)
    assert order.index("Fresh and unvoted") < order.index("Two hours old, one vote")
