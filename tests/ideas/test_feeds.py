"""RSS and Atom feeds: valid structure, absolute links, only public ideas, never internal notes."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from ideas.models import Idea, InternalNote
from ideas.services import idea_move
from tests.factories import IdeaFactory, make_campaign
from tests.ideas.test_changelog import changelog_page
from tests.ideas.test_roadmap import stage, team_member

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SECRET = "INTERNAL-MARKER-7f3a9c"


def rss(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    return response, channel


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    return response, root


def ship(idea, note="Shipped to everyone today."):
    # Ideas ship from “In progress” in the default pipeline: the idea was being built.
    Idea.objects.filter(pk=idea.pk).update(stage=stage("in-progress"))
    idea_move(idea=idea, to_stage=stage("shipped"), actor=team_member(), note=note)
    return idea


@pytest.fixture
def shipped_and_hidden():
    changelog_page()
    campaign = make_campaign()
    public = ship(IdeaFactory(campaign=campaign, title="Fees < 1 € & no <b>ads</b>"))
    InternalNote.objects.create(idea=public, body=f"{SECRET} do not ship the beta flag")
    pending = IdeaFactory(campaign=campaign, title="A pending idea that shipped")
    ship(pending)
    Idea.objects.filter(pk=pending.pk).update(status=Idea.Status.PENDING)
    planned = IdeaFactory(campaign=campaign, title="An idea that is only planned")
    idea_move(idea=planned, to_stage=stage("planned"), actor=team_member(), note="Soon.")
    return campaign, public


def test_changelog_rss_lists_shipped_public_ideas_with_absolute_links(client, shipped_and_hidden):
    campaign, public = shipped_and_hidden
    response, channel = rss(client, "/feeds/changelog/")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Fees < 1 € & no <b>ads</b>"]
    item = items[0]
    assert item.findtext("link") == f"http://testserver{campaign.url}ideas/{public.pk}/"
    assert item.findtext("description") == "Shipped to everyone today."
    assert item.findtext("pubDate")
    assert item.findtext("guid").startswith("http://testserver/")
    assert channel.findtext("link").startswith("http://testserver/")
    body = response.content.decode()
    assert SECRET not in body
    assert "A pending idea that shipped" not in body and "only planned" not in body
    assert "<b>" not in body  # escaped, never raw markup


def test_changelog_atom_is_valid_and_has_the_same_entries(client, shipped_and_hidden):
    campaign, public = shipped_and_hidden
    response, feed = atom(client, "/feeds/changelog/atom/")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext(f"{ATOM}title") == "Fees < 1 € & no <b>ads</b>"
    assert entry.findtext(f"{ATOM}id")
    assert entry.findtext(f"{ATOM}updated")
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{campaign.url}ideas/{public.pk}/"
    assert SECRET not in response.content.decode()


def test_feed_guids_are_unique_and_items_capped_at_50(client):
    changelog_page()
    campaign = make_campaign()
    now = timezone.now()
    ideas = IdeaFactory.create_batch(55, campaign=campaign)
    Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(
        stage=stage("shipped"), stage_changed_at=now - timedelta(days=1)
    )
    _response, channel = rss(client, "/feeds/changelog/")
    guids = [i.findtext("guid") for i in channel.findall("item")]
    assert len(guids) == 50 == len(set(guids))
    _response, feed = atom(client, "/feeds/changelog/atom/")
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert len(ids) == 50 == len(set(ids))


def test_campaign_feed_lists_new_published_ideas_only(client):
    campaign = make_campaign(title="Saving & spending")
    older = IdeaFactory(campaign=campaign, title="An older published idea")
    Idea.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))
    newer = IdeaFactory(campaign=campaign, title="A newer published idea")
    IdeaFactory(campaign=campaign, title="A pending idea in the campaign", status="pending")
    IdeaFactory(campaign=campaign, title="A withdrawn idea in the campaign", status="withdrawn")
    IdeaFactory(title="An idea of another campaign")
    InternalNote.objects.create(idea=newer, body=SECRET)
    response, channel = rss(client, f"/feeds/campaigns/{campaign.slug}/")
    assert channel.findtext("title") == "New ideas in “Saving & spending”"
    assert channel.findtext("link") == f"http://testserver{campaign.url}"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [newer.title, older.title]
    assert items[0].findtext("link") == f"http://testserver{campaign.url}ideas/{newer.pk}/"
    assert all(i.findtext("pubDate") and i.findtext("guid") for i in items)
    body = response.content.decode()
    assert SECRET not in body and "pending idea" not in body and "withdrawn idea" not in body
    assert newer.author.email not in body
    _response, feed = atom(client, f"/feeds/campaigns/{campaign.slug}/atom/")
    assert len(feed.findall(f"{ATOM}entry")) == 2


def test_campaign_feed_is_404_for_unknown_unpublished_and_restricted_campaigns(client):
    assert client.get("/feeds/campaigns/no-such-campaign/").status_code == 404
    draft = make_campaign()
    IdeaFactory(campaign=draft)
    draft.unpublish()
    assert client.get(f"/feeds/campaigns/{draft.slug}/").status_code == 404
    restricted = make_campaign()
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    assert client.get(f"/feeds/campaigns/{restricted.slug}/").status_code == 404
    assert client.get(f"/feeds/campaigns/{restricted.slug}/atom/").status_code == 404


def test_changelog_feed_leaves_out_ideas_of_restricted_campaigns(client):
    changelog_page()
    restricted = make_campaign()
    ship(IdeaFactory(campaign=restricted, title="Shipped in a members-only campaign"))
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    _response, channel = rss(client, "/feeds/changelog/")
    assert channel.findall("item") == []


def test_campaign_page_head_offers_its_feed(client):
    campaign = make_campaign()
    html = client.get(campaign.url).content.decode()
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="New ideas in “{campaign.title}” '
        f'(RSS)" href="/feeds/campaigns/{campaign.slug}/">' in html
    )
