"""The vote endpoint: `/votes/<idea>/`, where the button posts, and the campaign page's
sub-route `<campaign>/ideas/<id>/vote/`, which pages opened before still post to. Every test
runs against both (`vote_url`); they answer alike."""

import pytest

from ideas.models import Stage
from tests.factories import IdeaFactory, make_campaign

pytestmark = pytest.mark.django_db

ADDRESSES = {
    "votes": lambda idea: f"/votes/{idea.pk}/",
    "campaign-route": lambda idea: f"{idea.campaign.url}ideas/{idea.pk}/vote/",
}


@pytest.fixture(params=list(ADDRESSES))
def vote_url(request):
    return ADDRESSES[request.param]


def test_vote_without_javascript_redirects_back_with_the_new_count(
    member_client, campaign, vote_url
):
    idea = IdeaFactory(campaign=campaign)
    response = member_client.post(vote_url(idea), {"action": "vote", "next": campaign.url})
    assert response.status_code == 302 and response.url == campaign.url
    idea.refresh_from_db()
    assert idea.vote_count == 1
    page = member_client.get(f"{campaign.url}ideas/{idea.pk}/").content.decode()
    assert 'aria-pressed="true"' in page


def test_vote_with_htmx_returns_the_button_fragment(member_client, vote_url):
    idea = IdeaFactory(campaign=make_campaign(vote_budget=3))
    response = member_client.post(vote_url(idea), {"action": "vote"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'aria-pressed="true"' in html and "2 votes left" in html and ">1<" in html
    response = member_client.post(vote_url(idea), {"action": "unvote"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode()


def test_voting_when_closed_explains_instead_of_failing(member_client, vote_url):
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


def test_budget_exhausted_message(member_client, vote_url):
    campaign = make_campaign(vote_budget=1)
    first, second = IdeaFactory(campaign=campaign), IdeaFactory(campaign=campaign)
    member_client.post(vote_url(first), {"action": "vote"})
    html = member_client.post(
        vote_url(second), {"action": "vote"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "used all 1 of your votes" in html


def test_visitor_is_asked_to_sign_in_to_vote(client, campaign, vote_url):
    idea = IdeaFactory(campaign=campaign)
    response = client.post(vote_url(idea), {"action": "vote"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_vote_endpoint_refuses_get(member_client, campaign, vote_url):
    idea = IdeaFactory(campaign=campaign)
    assert member_client.get(vote_url(idea)).status_code == 405


def test_next_parameter_cannot_redirect_off_site(member_client, campaign, vote_url):
    idea = IdeaFactory(campaign=campaign)
    response = member_client.post(vote_url(idea), {"next": "https://evil.example/"})
    assert response.url.endswith(f"ideas/{idea.pk}/")


# What the button posts to, and what only `/votes/<idea>/` has to decide itself (the campaign
# page's route has Wagtail find and check the page).


def test_the_button_and_its_answer_post_to_the_votes_address(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    html = member_client.get(campaign.url).content.decode()
    assert f'hx-post="/votes/{idea.pk}/"' in html
    answer = member_client.post(
        f"{campaign.url}ideas/{idea.pk}/vote/",
        {"action": "vote", "next": campaign.url},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    # The answer to the old address posts to the new one, and still returns to the list.
    assert f'hx-post="/votes/{idea.pk}/"' in answer
    assert f'name="next" value="{campaign.url}"' in answer


def test_without_next_the_redirect_goes_to_the_ideas_page(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    response = member_client.post(f"/votes/{idea.pk}/", {"action": "vote"})
    assert response.status_code == 302 and response.url == f"{campaign.url}ideas/{idea.pk}/"


def test_an_idea_that_is_not_published_or_not_there_is_not_found(member_client, campaign):
    from ideas.models import Idea

    idea = IdeaFactory(campaign=campaign, status=Idea.Status.PENDING)
    assert member_client.post(f"/votes/{idea.pk}/", {"action": "vote"}).status_code == 404
    assert member_client.post("/votes/999999/", {"action": "vote"}).status_code == 404
    assert not idea.votes.exists()


def test_an_idea_of_an_unpublished_campaign_is_not_found(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    campaign.unpublish()
    for url in (f"/votes/{idea.pk}/", f"{campaign.url}ideas/{idea.pk}/vote/"):
        assert member_client.post(url, {"action": "vote"}).status_code == 404
    assert not idea.votes.exists()


def test_an_idea_of_a_campaign_with_an_audience_is_refused_to_outsiders_alike(
    client, campaign, django_capture_on_commit_callbacks
):
    from segments.models import Segment
    from segments.services import segment_refresh
    from tests.factories import UserFactory

    idea = IdeaFactory(campaign=campaign)
    insider, outsider = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        segment = Segment.objects.create(name="Insiders", slug="insiders")
        segment.include.add(insider)
        segment_refresh(segment)
        campaign.audience.set([segment])
        campaign.save_revision().publish()
    client.force_login(outsider)
    assert client.post(f"/votes/{idea.pk}/", {"action": "vote"}).status_code == 404
    assert client.post(f"/votes/{idea.pk}/", {}, HTTP_HX_REQUEST="true").status_code == 404
    client.logout()
    assert client.post(f"/votes/{idea.pk}/", {"action": "vote"}).status_code == 404
    assert not idea.votes.exists()
    client.force_login(insider)
    response = client.post(f"/votes/{idea.pk}/", {"action": "vote"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()


@pytest.mark.parametrize("address", list(ADDRESSES))
def test_wagtails_page_privacy_is_asked_as_the_page_would(member_client, campaign, address):
    """A campaign behind one of Wagtail's page passwords: the password form, and no vote, until
    the member has given it; then the vote counts."""
    from wagtail.models import PageViewRestriction

    idea = IdeaFactory(campaign=campaign)
    restriction = PageViewRestriction.objects.create(
        page=campaign.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    url = ADDRESSES[address](idea)
    response = member_client.post(url, {"action": "vote"})
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
    assert not idea.votes.exists()
    member_client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{campaign.pk}/",
        {"password": "x", "return_url": campaign.url},
    )
    response = member_client.post(url, {"action": "vote", "next": campaign.url})
    assert response.status_code == 302 and response.url == campaign.url
    assert idea.votes.count() == 1
