"""No lost work: what someone signed out typed into the idea form (a visitor, or a member
whose session ended) is kept server-side and back in the form after sign-in — for them only."""

from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from ideas.drafts import DRAFT_COOKIE
from ideas.models import Idea, IdeaDraft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TYPED = {
    "title": "Weekly spending summary on Sunday",
    "description": "A short notification every Sunday with what I spent, by category.",
    "tags": "summary, budget",
}


def typed(campaign):
    return {**TYPED, "category": str(campaign.categories.last().pk)}


def post_signed_out(client, campaign, data=None):
    """The idea form posted without a session: where sign-in will send the member back to."""
    response = client.post(f"{campaign.url}submit/", data or typed(campaign))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    return unquote(parse_qs(urlparse(response.url).query)["next"][0])


def form_values(response):
    form = response.context["form"]
    return {name: form[name].value() for name in ("title", "description", "tags", "category")}


def assert_restored(response, campaign):
    values = form_values(response)
    assert values["title"] == TYPED["title"] and values["description"] == TYPED["description"]
    assert values["tags"] == TYPED["tags"]
    assert str(values["category"]) == str(campaign.categories.last().pk)
    html = response.content.decode()
    assert TYPED["description"] in html and 'value="Weekly spending summary on Sunday"' in html


def assert_empty(response):
    assert not any(form_values(response)[name] for name in ("title", "description", "tags"))


def test_a_signed_out_post_keeps_the_draft_and_sign_in_brings_it_back(client, campaign):
    back_to = post_signed_out(client, campaign)
    assert back_to.startswith(f"{campaign.url}submit/?draft=")
    draft = IdeaDraft.objects.get()
    assert draft.member is None and draft.data["title"] == TYPED["title"]
    assert client.cookies[DRAFT_COOKIE].value == draft.key
    assert client.cookies[DRAFT_COOKIE]["httponly"]
    assert not Idea.objects.exists()

    member = UserFactory()
    client.force_login(member)
    response = client.get(back_to)
    assert_restored(response, campaign)
    assert any("what you typed" in str(m) for m in get_messages(response.wsgi_request))
    draft.refresh_from_db()
    assert draft.member == member  # claimed: from now on it is this member's only

    # Submitting the restored form publishes the idea and forgets the draft.
    response = client.post(back_to, typed(campaign))
    assert response.status_code == 302
    assert Idea.objects.get().title == TYPED["title"]
    assert not IdeaDraft.objects.exists()


def test_the_sign_in_page_says_the_typing_is_kept(client, campaign):
    response = client.post(f"{campaign.url}submit/", typed(campaign), follow=True)
    assert "what you typed is kept" in response.content.decode()


def test_another_browser_with_the_link_gets_an_empty_form(client, campaign):
    back_to = post_signed_out(client, campaign)
    stranger = Client()
    stranger.force_login(UserFactory())
    assert_empty(stranger.get(back_to))
    assert IdeaDraft.objects.get().member is None  # still waiting for its own browser


def test_a_claimed_draft_is_never_shown_to_another_member(client, campaign):
    back_to = post_signed_out(client, campaign)
    client.force_login(UserFactory())
    assert_restored(client.get(back_to), campaign)
    client.logout()
    client.force_login(UserFactory())  # someone else on the same browser, cookie and link
    assert_empty(client.get(back_to))


def test_a_tampered_or_expired_token_gives_an_empty_form(client, campaign):
    back_to = post_signed_out(client, campaign)
    client.force_login(UserFactory())
    assert_empty(client.get(f"{back_to}x"))
    IdeaDraft.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert_empty(client.get(back_to))


def test_old_drafts_are_forgotten(client, campaign):
    post_signed_out(client, campaign)
    IdeaDraft.objects.update(created_at=timezone.now() - timedelta(days=8))
    post_signed_out(Client(), campaign)
    assert IdeaDraft.objects.count() == 1


def test_nothing_typed_nothing_kept(client, campaign):
    response = client.post(f"{campaign.url}submit/", {"title": " ", "description": ""})
    assert response.status_code == 302 and "draft" not in unquote(response.url)
    assert not IdeaDraft.objects.exists()


def test_a_member_signed_in_submits_as_before_without_a_draft(member_client, campaign):
    response = member_client.post(f"{campaign.url}submit/", typed(campaign))
    assert response.status_code == 302 and Idea.objects.count() == 1
    assert not IdeaDraft.objects.exists()
