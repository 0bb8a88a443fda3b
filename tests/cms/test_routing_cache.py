"""Routing and sessions read through the cache (cms/routing.py, core/sessions.py) never serve
what changed: every test asks the page first, so the next answer would come from the cache if it
kept the old object."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from campaigns.models import CampaignPage
from cms.routing import VERSION_KEY
from tests.factories import IdeaFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db


def test_a_campaign_renamed_unpublished_and_moved_shows_so_at_once(client):
    campaign = make_campaign(title="Savings sprint")
    url = campaign.url
    assert "Savings sprint" in client.get(url).content.decode()

    page = CampaignPage.objects.get(pk=campaign.pk)
    page.title = "Savings marathon"
    page.save_revision().publish()
    assert "Savings marathon" in client.get(url).content.decode()

    page.slug = "savings-marathon"
    page.save_revision().publish()
    assert client.get(url).status_code == 404
    assert client.get(CampaignPage.objects.get(pk=campaign.pk).url).status_code == 200

    CampaignPage.objects.get(pk=campaign.pk).unpublish()
    assert client.get(CampaignPage.objects.get(pk=campaign.pk).url).status_code == 404


def test_a_campaigns_new_phase_shows_at_once(client):
    campaign = make_campaign(phase="open")
    idea = IdeaFactory(campaign=campaign)
    member = UserFactory()
    client.force_login(member)
    assert "Voting is not open." not in client.get(campaign.url).content.decode()
    page = CampaignPage.objects.get(pk=campaign.pk)
    closed = make_campaign(phase="closed")
    page.voting_opens_at, page.voting_closes_at = closed.voting_opens_at, closed.voting_closes_at
    page.save_revision().publish()
    html = client.get(campaign.url).content.decode()
    assert f'id="vote-{idea.pk}"' in html and "Voting is not open." in html


def test_without_the_cache_routing_reads_the_database(client, monkeypatch):
    campaign = make_campaign(title="Redis-free campaign")
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: True)
    assert cache.get(VERSION_KEY) is None
    assert "Redis-free campaign" in client.get(campaign.url).content.decode()


def test_signing_out_ends_the_cached_session_at_once():
    campaign = make_campaign()
    member = UserFactory(display_name="Cached Carla")
    browser = Client()
    browser.force_login(member)
    key = browser.session.session_key
    assert browser.get(campaign.url).wsgi_request.user == member  # session now cached
    browser.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not replay.get(campaign.url).wsgi_request.user.is_authenticated


def test_a_session_is_read_from_the_database_when_the_cache_lost_it():
    campaign = make_campaign()
    member = UserFactory()
    browser = Client()
    browser.force_login(member)
    browser.get(campaign.url)
    cache.clear()  # as after a Redis restart
    response = browser.get(campaign.url)
    assert response.wsgi_request.user == member
    assert response.wsgi_request.session[SESSION_KEY] == str(member.pk)


def test_a_password_restriction_added_after_a_view_applies_at_once(client):
    from wagtail.models import PageViewRestriction

    campaign = make_campaign(title="Quiet campaign")
    assert "Quiet campaign" in client.get(campaign.url).content.decode()
    restriction = PageViewRestriction.objects.create(
        page=campaign, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    html = client.get(campaign.url).content.decode()
    assert 'name="password"' in html and "Ideas</h2>" not in html
    restriction.delete()
    assert "Ideas</h2>" in client.get(campaign.url).content.decode()
