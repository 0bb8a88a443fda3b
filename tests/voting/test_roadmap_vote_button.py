"""Roadmap cards carry the vote button: the member's vote, the campaign's budget and phase."""

import pytest

from ideas.models import Idea, RoadmapPage, Stage
from tests.factories import IdeaFactory, UserFactory, make_campaign, site_tree
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def roadmap_page():
    home, _index = site_tree()
    if not RoadmapPage.objects.exists():
        home.add_child(instance=RoadmapPage(title="Roadmap", slug="roadmap"))


def planned(**fields):
    idea = IdeaFactory(**fields)
    Idea.objects.filter(pk=idea.pk).update(stage=Stage.objects.get(slug="planned"))
    return Idea.objects.get(pk=idea.pk)


def card_button(html, idea):
    start = html.index(f'id="vote-{idea.pk}"')
    return html[start : html.index("</form>", start)]


def test_a_member_sees_their_vote_and_votes_left_on_the_roadmap_cards(client):
    roadmap_page()
    budgeted = make_campaign(vote_budget=3)
    voted, other = planned(campaign=budgeted), planned(campaign=budgeted)
    member = UserFactory()
    vote_cast(idea=voted, member=member)
    client.force_login(member)

    html = client.get("/roadmap/").content.decode()

    assert 'aria-pressed="true"' in card_button(html, voted)
    assert 'aria-pressed="false"' in card_button(html, other)
    assert f'action="/votes/{voted.pk}/"' in card_button(html, voted)
    assert "2 votes left" in html


def test_roadmap_vote_buttons_are_disabled_when_the_campaign_voting_is_closed(client):
    roadmap_page()
    closed = planned(campaign=make_campaign(phase="closed"))
    open_ = planned(campaign=make_campaign())
    client.force_login(UserFactory())

    html = client.get("/roadmap/").content.decode()

    assert "disabled" in card_button(html, closed)
    assert "disabled" not in card_button(html, open_)
    assert "Voting is not open." in html


def test_voting_from_a_roadmap_card_without_javascript_comes_back_to_the_roadmap(client):
    roadmap_page()
    idea = planned(campaign=make_campaign())
    client.force_login(UserFactory())

    response = client.post(f"/votes/{idea.pk}/", {"action": "vote", "next": "/roadmap/"})

    assert response.status_code == 302 and response.url == "/roadmap/"
    html = client.get("/roadmap/").content.decode()
    assert 'aria-pressed="true"' in card_button(html, idea)
