import pytest

from ideas.models import Stage
from tests.factories import IdeaFactory, make_campaign

pytestmark = pytest.mark.django_db


def vote_url(idea):
    return f"{idea.campaign.url}ideas/{idea.pk}/vote/"


def test_vote_without_javascript_redirects_back_with_the_new_count(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    response = member_client.post(vote_url(idea), {"action": "vote", "next": campaign.url})
    assert response.status_code == 302 and response.url == campaign.url
    idea.refresh_from_db()
    assert idea.vote_count == 1
    page = member_client.get(f"{campaign.url}ideas/{idea.pk}/").content.decode()
    assert 'aria-pressed="true"' in page


def test_vote_with_htmx_returns_the_button_fragment(member_client):
    idea = IdeaFactory(campaign=make_campaign(vote_budget=3))
    response = member_client.post(vote_url(idea), {"action": "vote"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'aria-pressed="true"' in html and "2 votes left" in html and ">1<" in html
    response = member_client.post(vote_url(idea), {"action": "unvote"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode()


def test_voting_when_closed_explains_instead_of_failing(member_client):
    idea = IdeaFactory(campaign=make_campaign(phase="closed"))
    response = member_client.post(vote_url(idea), {"action": "vote"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Voting in this campaign has closed." in response.content.decode()
    response = member_client.post(vote_url(idea), {"action": "vote"}, follow=True)
    assert "Voting in this campaign has closed." in response.content.decode()


def test_frozen_idea_shows_a_disabled_button_with_the_reason(client):
    idea = IdeaFactory(stage=Stage.objects.get(slug="declined"))
    html = client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    assert "disabled" in html and "Votes are frozen at this stage." in html


def test_budget_exhausted_message(member_client):
    campaign = make_campaign(vote_budget=1)
    first, second = IdeaFactory(campaign=campaign), IdeaFactory(campaign=campaign)
    member_client.post(vote_url(first), {"action": "vote"})
    html = member_client.post(
        vote_url(second), {"action": "vote"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "used all 1 of your votes" in html


def test_visitor_is_asked_to_sign_in_to_vote(client, campaign):
    idea = IdeaFactory(campaign=campaign)
    response = client.post(vote_url(idea), {"action": "vote"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_vote_endpoint_refuses_get(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    assert member_client.get(vote_url(idea)).status_code == 405


def test_next_parameter_cannot_redirect_off_site(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    response = member_client.post(vote_url(idea), {"next": "https://evil.example/"})
    assert response.url.endswith(f"ideas/{idea.pk}/")
