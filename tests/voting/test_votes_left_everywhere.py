"""After a vote, every "votes left" of the campaign on the page shows the new budget: the htmx
answer carries it out-of-band for all of them (one class per campaign); without JavaScript the
redirect back shows the right number everywhere."""

import re

import pytest

from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory, make_campaign
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def vote_url(idea):
    return f"{idea.campaign.url}ideas/{idea.pk}/vote/"


def budgets(html, campaign):
    """The text of every budget display of `campaign` in `html`."""
    return re.findall(rf'class="votes-left votes-left--c{campaign.pk}"[^>]*>([^<]+)<', html)


def oob(html, campaign):
    match = re.search(rf'hx-swap-oob="innerHTML:\.votes-left--c{campaign.pk}">([^<]+)<', html)
    return match.group(1).strip() if match else None


def test_every_card_of_the_campaign_list_shows_the_budget_with_the_campaigns_hook(member_client):
    campaign = make_campaign(vote_budget=5)
    ideas = IdeaFactory.create_batch(3, campaign=campaign)
    html = member_client.get(campaign.url).content.decode()
    assert budgets(html, campaign) == ["5 votes left"] * len(ideas)


def test_the_htmx_answer_updates_every_budget_display_of_the_campaign(member_client):
    campaign = make_campaign(vote_budget=5)
    first, _second = IdeaFactory.create_batch(2, campaign=campaign)
    html = member_client.post(
        vote_url(first), {"action": "vote"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert oob(html, campaign) == "4 votes left"
    assert budgets(html, campaign) == ["4 votes left"]  # the button's own status line
    html = member_client.post(
        vote_url(first), {"action": "unvote"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert oob(html, campaign) == "5 votes left"


def test_a_refused_vote_says_why_and_still_sends_the_true_budget(member_client, member):
    campaign = make_campaign(vote_budget=1)
    first, second = IdeaFactory.create_batch(2, campaign=campaign)
    first.campaign = campaign
    vote_cast(idea=first, member=member)
    html = member_client.post(
        vote_url(second), {"action": "vote"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'class="vote__error"' in html and "used all 1 of your votes" in html
    assert oob(html, campaign) == "0 votes left"


def test_no_budget_no_budget_display_and_nothing_out_of_band(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    html = member_client.post(
        vote_url(idea), {"action": "vote"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-swap-oob" not in html and "votes left" not in html


def test_another_campaigns_budget_is_not_touched(member_client):
    campaign, other = make_campaign(vote_budget=3), make_campaign(vote_budget=3)
    idea = IdeaFactory(campaign=campaign)
    html = member_client.post(
        vote_url(idea), {"action": "vote"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert oob(html, campaign) == "2 votes left" and oob(html, other) is None


def test_without_javascript_the_redirect_shows_the_new_budget_everywhere(member_client):
    campaign = make_campaign(vote_budget=5)
    first, *_others = IdeaFactory.create_batch(3, campaign=campaign)
    response = member_client.post(vote_url(first), {"action": "vote", "next": campaign.url})
    assert response.status_code == 302 and response.url == campaign.url
    html = member_client.get(campaign.url).content.decode()
    assert budgets(html, campaign) == ["4 votes left"] * 3


def test_a_visitor_keeps_the_widget_with_a_sign_in_link_in_its_status_line(client):
    campaign = make_campaign(vote_budget=5)
    idea = IdeaFactory(campaign=campaign)
    response = client.post(vote_url(idea), {"action": "vote"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and f'id="vote-{idea.pk}"' in html
    assert 'class="vote__button' in html and "Sign in to vote." in html
    assert "/accounts/login/?next=" in html and "hx-swap-oob" not in html
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_the_budget_of_someone_else_never_shows(client):
    campaign = make_campaign(vote_budget=5)
    ideas = IdeaFactory.create_batch(2, campaign=campaign)
    voter = UserFactory()
    for idea in ideas:
        idea.campaign = campaign
        vote_cast(idea=idea, member=voter)
    client.force_login(UserFactory())
    assert budgets(client.get(campaign.url).content.decode(), campaign) == ["5 votes left"] * 2


def test_the_roadmap_shows_each_campaigns_budget_on_its_cards(member_client, member):
    from tests.ideas.test_roadmap import on_stage, roadmap_page

    roadmap_page()
    first, second = make_campaign(vote_budget=2), make_campaign(vote_budget=3)
    voted = on_stage("planned", campaign=first)
    on_stage("in-progress", campaign=first)
    on_stage("planned", campaign=second)
    voted.campaign = first
    vote_cast(idea=voted, member=member)
    html = member_client.get("/roadmap/").content.decode()
    assert budgets(html, first) == ["1 vote left"] * 2
    assert budgets(html, second) == ["3 votes left"]
    assert html.count('aria-pressed="true"') == 1
    # Voting from the roadmap updates that campaign's cards only.
    other = Idea.objects.filter(campaign=second).get()
    other.campaign = second
    answer = member_client.post(
        vote_url(other), {"action": "vote", "next": "/roadmap/"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert oob(answer, second) == "2 votes left" and oob(answer, first) is None
