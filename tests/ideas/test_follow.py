"""Members follow and unfollow an idea from its page, with or without JavaScript."""

import pytest

from ideas.models import Follow
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def urls(idea):
    base = f"{idea.campaign.url}ideas/{idea.pk}/"
    return base, f"{base}follow/"


def test_anonymous_visitor_is_asked_to_sign_in_to_follow(client):
    idea = IdeaFactory()
    page, follow_url = urls(idea)
    html = client.get(page).content.decode()
    assert "Sign in to follow" in html and f"?next={page}" in html
    response = client.post(follow_url, {"action": "follow"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_member_follows_and_unfollows_without_javascript(member_client, member):
    idea = IdeaFactory()
    page, follow_url = urls(idea)
    html = member_client.get(page).content.decode()
    assert f'action="{follow_url}"' in html and "Follow this idea" in html
    response = member_client.post(follow_url, {"action": "follow"})
    assert response.status_code == 302 and response["Location"] == page
    assert Follow.objects.filter(member=member, idea=idea).exists()
    html = member_client.get(page).content.decode()
    assert "You follow this idea: you&#x27;ll hear when it changes." in html
    assert 'value="unfollow"' in html
    member_client.post(follow_url, {"action": "unfollow"})
    assert not Follow.objects.filter(member=member, idea=idea).exists()


def test_following_twice_is_harmless(member_client, member):
    idea = IdeaFactory()
    _page, follow_url = urls(idea)
    member_client.post(follow_url, {"action": "follow"})
    member_client.post(follow_url, {"action": "follow"})
    assert Follow.objects.filter(member=member, idea=idea).count() == 1


def test_htmx_swaps_just_the_button(member_client, member):
    idea = IdeaFactory()
    _page, follow_url = urls(idea)
    response = member_client.post(follow_url, {"action": "follow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div class="follow" id="follow-button">')
    assert "<html" not in html and 'role="status"' in html and 'value="unfollow"' in html
    response = member_client.post(follow_url, {"action": "unfollow"}, HTTP_HX_REQUEST="true")
    assert 'value="follow"' in response.content.decode()
    assert not Follow.objects.filter(member=member, idea=idea).exists()


def test_author_follows_their_idea_automatically(client):
    from ideas.services import idea_submit
    from tests.factories import UserFactory, make_campaign

    author = UserFactory()
    idea = idea_submit(
        campaign=make_campaign(),
        author=author,
        data={"title": "Weekly spending summary", "description": "A short summary every Sunday."},
    )
    client.force_login(author)
    html = client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    assert 'value="unfollow"' in html


def test_follow_needs_post_and_a_visible_idea(member_client):
    idea = IdeaFactory()
    _page, follow_url = urls(idea)
    assert member_client.get(follow_url).status_code == 405
    hidden = IdeaFactory(campaign=idea.campaign, status="withdrawn")
    assert member_client.post(urls(hidden)[1], {"action": "follow"}).status_code == 404
    assert not Follow.objects.filter(idea=hidden).exists()
