"""Campaign cards show the campaign's ideas, votes and the days left in its current phase."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.selectors import campaigns_live
from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory, make_campaign
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def stats(html, campaign):
    start = html.index(f">{campaign.title}</a>")
    block = html[start : html.index("</ul>", start)]
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)
    ]


def plain(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_cards_count_published_ideas_and_their_votes_but_not_hidden_or_merged_ones(client):
    campaign = make_campaign()
    ideas = IdeaFactory.create_batch(2, campaign=campaign)
    IdeaFactory(campaign=campaign, status=Idea.Status.PENDING)
    IdeaFactory(campaign=campaign, status=Idea.Status.HIDDEN)
    merged = IdeaFactory(campaign=campaign)
    Idea.objects.filter(pk=merged.pk).update(merged_into=ideas[0])
    for member in UserFactory.create_batch(3):
        vote_cast(idea=ideas[0], member=member)
    vote_cast(idea=ideas[1], member=UserFactory())

    found = {c.pk: c for c in campaigns_live(user=UserFactory())}[campaign.pk]
    assert (found.idea_total, found.vote_total) == (2, 4)

    items = [plain(item) for item in stats(client.get("/").content.decode(), campaign)]
    assert items[:2] == ["2 ideas", "4 votes"]


def test_an_open_campaign_shows_the_days_left_to_share_ideas(client):
    campaign = make_campaign(
        submission_closes_at=timezone.now() + timedelta(days=4, hours=3),
        voting_closes_at=timezone.now() + timedelta(days=30),
    )
    items = [plain(item) for item in stats(client.get("/campaigns/").content.decode(), campaign)]
    assert "5 days left to share ideas" in items
    assert campaign.days_left == 5


def test_a_campaign_in_its_voting_phase_shows_the_days_left_to_vote(client):
    campaign = make_campaign(phase="voting")
    html = client.get("/campaigns/").content.decode()
    assert any("days left to vote" in plain(item) for item in stats(html, campaign))


def test_a_campaign_without_an_end_shows_no_days_left(client):
    campaign = make_campaign(submission_closes_at=None, voting_closes_at=None)
    items = [plain(item) for item in stats(client.get("/campaigns/").content.decode(), campaign)]
    assert len(items) == 2 and campaign.days_left is None


def test_card_labels_are_in_spanish_at_es(client):
    campaign = make_campaign(phase="voting")
    IdeaFactory(campaign=campaign)
    items = [plain(i) for i in stats(client.get("/es/campaigns/").content.decode(), campaign)]
    assert items[0] == "1 idea" and items[1] == "0 votos"
    assert "días para votar" in items[2]
