"""Merging duplicates from the workspace: find the target, give a reason, confirm, votes
move."""

import pytest

from ideas.models import Follow, Idea
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
    assert f'href="?merge_into={target.pk}#merge-form"' in html


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


def merge(client, source, target, note="Same request.", **extra):
    return client.post(
        f"/admin/ideas/merge/{source.pk}/", {"target": target.pk, "note": note, **extra}
    )


def test_merge_moves_votes_and_followers_without_counting_anyone_twice(team_client, pair):
    source, target = pair
    both, only_source = UserFactory(), UserFactory()
    vote(source, both)
    vote(source, only_source)
    vote(target, both)
    Follow.objects.create(member=only_source, idea=source)
    response = merge(team_client, source, target, confirm="1")
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
    response = merge(team_client, source, target, note="")
    assert (
        response["Location"] == f"/admin/ideas/edit/{source.pk}/?merge_into={target.pk}#merge-form"
    )
    assert "This field is required." in shown(response)
    source.refresh_from_db()
    assert source.stage.slug == "new"


def test_merge_across_campaigns_is_refused_with_the_reason(team_client, pair):
    source, _target = pair
    elsewhere = IdeaFactory(title="Dark mode somewhere else")
    response = merge(team_client, source, elsewhere, note="Same.")
    assert "Ideas can only be merged within one campaign." in shown(response)
    source.refresh_from_db()
    assert source.merged_into is None


def test_merge_into_an_unknown_idea_says_so(team_client, pair):
    source, _target = pair
    response = team_client.post(
        f"/admin/ideas/merge/{source.pk}/", {"target": 999999, "note": "Same."}
    )
    assert "There is no idea number 999999." in shown(response)


def test_merging_asks_for_confirmation_with_what_will_happen(team_client, pair):
    source, target = pair
    both, only_source, other = UserFactory(), UserFactory(), UserFactory()
    vote(source, both)
    vote(source, only_source)
    vote(source, other)
    vote(target, both)
    Follow.objects.create(member=only_source, idea=source)
    response = merge(team_client, source, target, note="Both ask for a dark theme.")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merge “Dark mode for the mobile app” into “Dark mode for the app please”?" in html
    assert "2 votes move to “Dark mode for the app please”." in html
    assert "1 member voted for both and gets one vote back." in html
    assert (
        "1 follower of “Dark mode for the mobile app” moves to “Dark mode for the app please”."
        in html
    )
    assert "Both ask for a dark theme." in html
    assert 'name="confirm"' in html and "Confirm merge" in html and 'name="cancel"' in html
    source.refresh_from_db()
    assert source.stage.slug == "new" and source.merged_into is None
    assert target.votes.count() == 1

    response = merge(team_client, source, target, note="Both ask for a dark theme.", confirm="1")
    assert response["Location"] == f"/admin/ideas/edit/{target.pk}/"
    source.refresh_from_db()
    assert source.merged_into == target


def test_cancelling_the_merge_goes_back_with_the_note_kept(team_client, pair):
    source, target = pair
    response = merge(team_client, source, target, note="Kept while I think.", cancel="1")
    assert (
        response["Location"] == f"/admin/ideas/edit/{source.pk}/?merge_into={target.pk}#merge-form"
    )
    source.refresh_from_db()
    assert source.merged_into is None
    html = team_client.get(response["Location"]).content.decode()
    assert "Merging into “Dark mode for the app please”." in html
    assert "Kept while I think.</textarea>" in html


def test_a_refused_merge_is_refused_before_the_confirmation(team_client, pair):
    source, _target = pair
    response = merge(team_client, source, source)
    assert response.status_code == 302
    assert "An idea cannot be merged into itself." in shown(response)


def titles_found(client, source, query):
    response = client.get(f"/admin/ideas/edit/{source.pk}/", {"merge_q": query})
    return [idea.title for idea in response.context["merge_results"]]


def test_merge_search_matches_every_word_in_any_order(team_client, pair):
    source, target = pair
    IdeaFactory(campaign=source.campaign, title="Mobile notifications for payments")
    assert titles_found(team_client, source, "app dark") == [target.title]
    assert titles_found(team_client, source, "  please   MODE ") == [target.title]
    assert titles_found(team_client, source, "dark payments") == []
    html = team_client.get(
        f"/admin/ideas/edit/{source.pk}/", {"merge_q": "dark payments"}
    ).content.decode()
    assert "No idea matches." in html


def test_merge_search_finds_an_idea_by_its_number(team_client, pair):
    source, target = pair
    assert titles_found(team_client, source, str(target.pk)) == [target.title]
    assert titles_found(team_client, source, f"#{target.pk}") == [target.title]
    html = team_client.get(
        f"/admin/ideas/edit/{source.pk}/", {"merge_q": f"#{target.pk}"}
    ).content.decode()
    assert f'href="?merge_into={target.pk}#merge-form"' in html


def test_merge_search_leaves_out_the_idea_itself_merged_ideas_and_other_campaigns(
    team_client, pair, team
):
    from ideas.services import ideas_merge

    source, target = pair
    merged = IdeaFactory(campaign=source.campaign, title="Dark mode merged already")
    ideas_merge(source=merged, target=target, actor=team, note="Same.")
    elsewhere = IdeaFactory(title="Dark mode in another campaign")
    assert titles_found(team_client, source, "dark mode") == [target.title]
    assert titles_found(team_client, source, str(source.pk)) == []
    assert titles_found(team_client, source, f"#{merged.pk}") == []
    assert titles_found(team_client, source, f"#{elsewhere.pk}") == []


def test_merge_help_text_points_to_the_search_above(team_client, pair):
    source, _target = pair
    html = team_client.get(f"/admin/ideas/edit/{source.pk}/").content.decode()
    assert "or search above." in html and "search below" not in html
    assert html.index('id="merge-q"') < html.index('name="target"')


def test_a_merge_the_pipeline_does_not_allow_is_refused_before_the_confirmation(team_client, pair):
    from html import unescape

    from ideas.models import Stage

    source, target = pair
    Idea.objects.filter(pk=source.pk).update(stage=Stage.objects.get(slug="declined"))
    response = merge(team_client, source, target)
    assert response.status_code == 302
    assert (
        response["Location"] == f"/admin/ideas/edit/{source.pk}/?merge_into={target.pk}#merge-form"
    )
    assert "Ideas in “Declined” can't be merged into another idea." in [
        unescape(m) for m in shown(response)
    ]
    source.refresh_from_db()
    assert source.merged_into is None and source.stage.slug == "declined"
