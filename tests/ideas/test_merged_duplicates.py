"""Merged duplicates leave the public lists (the default list, "All stages", the API list, the
campaign feed, similar ideas) but stay reachable: from their target's page, at their own address
with a notice pointing to the target, and under the Merged stage filter."""

import pytest

from ideas.selectors import similar_ideas
from ideas.services import ideas_merge
from tests.factories import IdeaFactory, make_campaign, team_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged():
    campaign = make_campaign()
    target = IdeaFactory(campaign=campaign, title="Round up purchases into savings")
    source = IdeaFactory(campaign=campaign, title="Round up my card payments to save")
    other = IdeaFactory(campaign=campaign, title="Dark mode for the statements page")
    ideas_merge(source=source, target=target, actor=team_member(), note="Same idea.")
    return campaign, source, target, other


def test_the_default_list_and_all_stages_leave_merged_ideas_out(client, merged):
    campaign, source, target, other = merged
    for params in ({}, {"stage": ""}, {"sort": "newest"}, {"sort": "top", "stage": ""}):
        html = client.get(campaign.url, params).content.decode()
        assert target.title in html and other.title in html, params
        assert source.title not in html, params


def test_the_merged_stage_filter_lists_them(client, merged):
    campaign, source, target, _other = merged
    html = client.get(campaign.url, {"stage": "merged"}).content.decode()
    assert source.title in html and target.title not in html


def test_the_target_links_its_duplicates_and_the_duplicate_points_to_the_target(client, merged):
    _campaign, source, target, _other = merged
    target_page = client.get(target.url).content.decode()
    assert "Merged here:" in target_page
    assert f'href="{source.url}"' in target_page and source.title in target_page
    response = client.get(source.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="merged-banner"' in page
    assert f'href="{target.url}"' in page and target.title in page


def test_the_api_list_and_the_feed_leave_them_out_but_the_idea_stays_readable(client, merged):
    campaign, source, target, other = merged
    listed = client.get("/api/v1/ideas/", {"campaign": campaign.slug}).json()["results"]
    assert {row["id"] for row in listed} == {target.pk, other.pk}
    merged_only = client.get("/api/v1/ideas/", {"stage": "merged"}).json()["results"]
    assert [row["id"] for row in merged_only] == [source.pk]
    detail = client.get(f"/api/v1/ideas/{source.pk}/").json()
    assert detail["merged_into"] == target.pk
    feed = client.get(f"/feeds/campaigns/{campaign.slug}/").content.decode()
    assert target.title in feed and source.title not in feed


def test_similar_ideas_never_offer_a_merged_one(merged):
    campaign, source, target, _other = merged
    found = similar_ideas(campaign=campaign, text="Round up purchases to save")
    assert source not in found and target in found
