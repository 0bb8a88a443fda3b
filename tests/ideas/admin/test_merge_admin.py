"""Merging duplicates from the workspace: find the target, give a reason, votes move."""

import pytest

from ideas.models import Idea
from members.models import Follow
from tests.factories import IdeaFactory, UserFactory, make_campaign
from tests.ideas.admin.helpers import shown
from voting.models import Vote

pytestmark = pytest.mark.django_db


def vote(idea, member):
    Vote.objects.create(idea=idea, member=member, campaign=idea.campaign)
    Idea.objects.filter(pk=idea.pk).update(vote_count=idea.votes.count())


@pytest.fixture
def pair():
    campaign = make_campaign()
    source = IdeaFactory(campaign=campaign, title="Dark mode for the mobile app")
    target = IdeaFactory(campaign=campaign, title="Dark mode for the app please")
    return source, target


def test_similar_ideas_are_offered_with_merge_into_this_one(team_client, pair):
    source, target = pair
    html = team_client.get(f"/admin/ideas/edit/{source.pk}/").content.decode()
    assert "Similar ideas" in html and "Dark mode for the app please" in html
    assert f'href="?merge_into={target.pk}#merge"' in html


def test_merge_into_this_one_prefills_the_target(team_client, pair):
    source, target = pair
    html = team_client.get(
        f"/admin/ideas/edit/{source.pk}/", {"merge_into": target.pk}
    ).content.decode()
    assert "Merging into “Dark mode for the app please”." in html
    assert f'name="target" value="{target.pk}"' in html


def test_search_box_finds_another_target_in_the_campaign(team_client, pair):
    source, _target = pair
    IdeaFactory(campaign=source.campaign, title="Export my statements as PDF")
    IdeaFactory(title="Export in another campaign")
    html = team_client.get(
        f"/admin/ideas/edit/{source.pk}/", {"merge_q": "export"}
    ).content.decode()
    assert "Export my statements as PDF" in html
    assert "Export in another campaign" not in html


def test_merge_moves_votes_and_followers_without_counting_anyone_twice(team_client, pair):
    source, target = pair
    both, only_source = UserFactory(), UserFactory()
    vote(source, both)
    vote(source, only_source)
    vote(target, both)
    Follow.objects.create(member=only_source, idea=source)
    response = team_client.post(
        f"/admin/ideas/merge/{source.pk}/", {"target": target.pk, "note": "Same request."}
    )
    assert response["Location"] == f"/admin/ideas/edit/{target.pk}/"
    assert any("was merged into" in m for m in shown(response))
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.stage.slug == "merged" and source.merged_into == target
    assert (source.vote_count, target.vote_count) == (0, 2)
    assert Follow.objects.filter(member=only_source, idea=target).exists()
    html = team_client.get(f"/admin/ideas/edit/{source.pk}/").content.decode()
    assert "This idea was merged and stays merged." in html


def test_merge_needs_a_note(team_client, pair):
    source, target = pair
    response = team_client.post(
        f"/admin/ideas/merge/{source.pk}/", {"target": target.pk, "note": ""}
    )
    assert response["Location"] == f"/admin/ideas/edit/{source.pk}/?merge_into={target.pk}#merge"
    assert "This field is required." in shown(response)
    source.refresh_from_db()
    assert source.stage.slug == "new"


def test_merge_across_campaigns_is_refused_with_the_reason(team_client, pair):
    source, _target = pair
    elsewhere = IdeaFactory(title="Dark mode somewhere else")
    response = team_client.post(
        f"/admin/ideas/merge/{source.pk}/", {"target": elsewhere.pk, "note": "Same."}
    )
    assert "Ideas can only be merged within one campaign." in shown(response)
    source.refresh_from_db()
    assert source.merged_into is None


def test_merge_into_an_unknown_idea_says_so(team_client, pair):
    source, _target = pair
    response = team_client.post(
        f"/admin/ideas/merge/{source.pk}/", {"target": 999999, "note": "Same."}
    )
    assert "There is no idea number 999999." in shown(response)
