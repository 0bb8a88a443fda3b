"""The declared pipeline: roles give stages their meaning, `Stage.next_stages` the allowed moves,
and `idea_move` refuses any other move with a reason a person can read."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import translation

from ideas import selectors
from ideas.models import Event, Idea, IdeaStageChange, Stage
from ideas.permissions import NotAllowed, can_edit_idea
from ideas.services import idea_move, idea_submit, ideas_merge
from tests.factories import IdeaFactory, UserFactory, make_campaign, team_member
from voting.models import Vote
from voting.services import vote_cast

pytestmark = pytest.mark.django_db

pipeline_migration = import_module("ideas.migrations.0008_default_pipeline")


@pytest.fixture
def team():
    return team_member()


def stage(slug):
    return Stage.objects.get(slug=slug)


def moves():
    """{role: {roles its ideas may move to}} as the database has them."""
    return {
        s.role: {n.role for n in s.next_stages.all()}
        for s in Stage.objects.exclude(role="").prefetch_related("next_stages")
    }


def test_a_fresh_install_has_the_default_roles_and_moves():
    roles = dict(Stage.objects.values_list("slug", "role"))
    assert roles == pipeline_migration.ROLES_BY_SEEDED_SLUG
    assert moves() == {role: set(to) for role, to in pipeline_migration.DEFAULT_TRANSITIONS.items()}
    assert Stage.initial().slug == "new" and Stage.merged().slug == "merged"
    assert Stage.for_role(Stage.Role.SHIPPED).is_shipped


def test_an_allowed_move_works(team):
    idea = IdeaFactory()
    change = idea_move(idea=idea, to_stage=stage("under-review"), actor=team)
    idea.refresh_from_db()
    assert idea.stage == stage("under-review")
    assert (change.from_stage, change.to_stage) == (stage("new"), stage("under-review"))


def test_a_move_the_pipeline_does_not_allow_is_refused_with_the_reason_and_writes_nothing(team):
    idea = IdeaFactory(stage=stage("shipped"))
    with pytest.raises(NotAllowed) as refused:
        idea_move(idea=idea, to_stage=stage("new"), actor=team, note="Back to the start.")
    assert refused.value.reason == (
        "Ideas in “Shipped” can't move to “New”. Allowed next: “In progress”."
    )
    idea.refresh_from_db()
    assert idea.stage == stage("shipped") and idea.response == ""
    assert not IdeaStageChange.objects.exists() and not Event.objects.exists()


def test_the_refusal_lists_every_allowed_stage_in_order_and_is_translated(team):
    idea = IdeaFactory()
    with pytest.raises(NotAllowed, match="can't move to “Shipped”") as refused:
        idea_move(idea=idea, to_stage=stage("shipped"), actor=team)
    assert refused.value.reason.endswith(
        "Allowed next: “Under review”, “Planned”, “Declined”."
    )  # never “Merged”: merging is its own action
    with translation.override("es"), pytest.raises(NotAllowed) as refused:
        idea_move(idea=idea, to_stage=stage("shipped"), actor=team)
    assert "no pueden pasar a" in refused.value.reason
    assert "Siguientes posibles" in refused.value.reason


def test_a_stage_without_moves_says_so(team):
    parked = Stage.objects.create(name="Parked", slug="parked")
    idea = IdeaFactory(stage=parked)
    with pytest.raises(NotAllowed, match="Ideas in “Parked” can't move to another stage."):
        idea_move(idea=idea, to_stage=stage("planned"), actor=team)


def test_an_official_response_on_the_same_stage_is_always_allowed(team):
    shipped = stage("shipped")
    shipped.next_stages.clear()
    idea = IdeaFactory(stage=shipped)
    change = idea_move(idea=idea, to_stage=shipped, actor=team, note="Now on Android too.")
    assert change.is_response
    assert Event.objects.get(idea=idea).kind == Event.Kind.RESPONSE


def test_a_declared_move_takes_effect_at_once(team):
    idea = IdeaFactory(stage=stage("shipped"))
    stage("shipped").next_stages.add(stage("under-review"))
    idea_move(idea=idea, to_stage=stage("under-review"), actor=team)
    stage("new").next_stages.remove(stage("planned"))
    with pytest.raises(NotAllowed, match="can't move to “Planned”"):
        idea_move(idea=IdeaFactory(), to_stage=stage("planned"), actor=team)


def test_editing_the_moves_in_the_admin_takes_effect(client, team):
    client.force_login(team)
    shipped = stage("shipped")
    data = {
        "name": "Shipped",
        "slug": "shipped",
        "colour": shipped.colour,
        "order": shipped.order,
        "name_es": "",
        "is_closed": "on",
        "on_roadmap": "on",
        "next_stages": [stage("in-progress").pk, stage("under-review").pk],
    }
    response = client.post(f"/admin/snippets/ideas/stage/edit/{shipped.pk}/", data)
    assert response.status_code == 302
    assert set(shipped.next_stages.all()) == {stage("in-progress"), stage("under-review")}
    idea = IdeaFactory(stage=shipped)
    idea_move(idea=idea, to_stage=stage("under-review"), actor=team, note="Reopened: see #12.")
    assert Idea.objects.get(pk=idea.pk).stage == stage("under-review")


def test_merged_ideas_stay_merged_whatever_the_moves_say(team):
    source = IdeaFactory()
    target = IdeaFactory(campaign=source.campaign)
    ideas_merge(source=source, target=target, actor=team, note="Same request.")
    stage("merged").next_stages.add(stage("planned"))
    with pytest.raises(NotAllowed, match="stays merged"):
        idea_move(idea=source, to_stage=stage("planned"), actor=team)


def test_the_merged_stage_is_only_reached_by_merging_even_when_declared(team):
    assert stage("merged") in stage("new").next_stages.all()
    with pytest.raises(NotAllowed, match="Use “Merge”"):
        idea_move(idea=IdeaFactory(), to_stage=stage("merged"), actor=team, note="dup")


def test_merging_follows_the_declared_moves_and_moves_no_vote_when_refused(team):
    campaign = make_campaign()
    source = IdeaFactory(campaign=campaign, stage=stage("shipped"))
    target = IdeaFactory(campaign=campaign)
    voter = UserFactory()
    Vote.objects.create(idea=source, member=voter, campaign=campaign)
    with pytest.raises(NotAllowed, match="Ideas in “Shipped” can't be merged into another idea."):
        ideas_merge(source=source, target=target, actor=team, note="Same.")
    assert Vote.objects.get(member=voter).idea == source
    assert Idea.objects.get(pk=source.pk).merged_into is None
    stage("shipped").next_stages.add(stage("merged"))
    ideas_merge(source=source, target=target, actor=team, note="Same.")
    assert Vote.objects.get(member=voter).idea == target


def test_roles_drive_behaviour_even_if_the_slugs_are_renamed(client, team, member):
    # The code reads roles, never slugs: an install whose stages are called otherwise works.
    for old, new in (("merged", "duplicate"), ("new", "fresh"), ("shipped", "live")):
        Stage.objects.filter(slug=old).update(slug=new)
    campaign = make_campaign()
    idea = idea_submit(
        campaign=campaign,
        author=member,
        data={"title": "Round up to the euro", "description": "Round card payments up, please."},
    )
    assert idea.stage.slug == "fresh" and can_edit_idea(member, idea)
    target = IdeaFactory(campaign=campaign)
    vote_cast(idea=idea, member=UserFactory())
    ideas_merge(source=idea, target=target, actor=team, note="Same as the other one.")
    idea.refresh_from_db()
    assert idea.stage.slug == "duplicate" and idea.merged_into == target
    assert not can_edit_idea(member, idea)
    with pytest.raises(NotAllowed, match="stays merged"):
        idea_move(idea=idea, to_stage=stage("planned"), actor=team)
    Idea.objects.filter(pk=target.pk).update(stage=stage("in-progress"))
    idea_move(idea=target, to_stage=stage("live"), actor=team, note="Live today.")
    assert [i.pk for i in selectors.shipped_ideas(viewer=member)] == [target.pk]


def test_at_most_one_stage_per_role():
    Stage.objects.create(name="Parked", slug="parked")
    Stage.objects.create(name="Parked too", slug="parked-too")  # blank roles do not clash
    with transaction.atomic(), pytest.raises(IntegrityError):
        Stage.objects.create(name="Brand new", slug="brand-new", role=Stage.Role.INITIAL)


def test_upgrading_keeps_every_move_of_a_custom_stage():
    # An install before roles existed: any stage could move to any stage, and a stage of its
    # own was reachable from every stage and could be merged.
    parked = Stage.objects.create(name="Parked", slug="parked")
    Stage.next_stages.through.objects.all().delete()
    Stage.objects.update(role="")

    pipeline_migration.seed_pipeline(apps, None)

    assert dict(Stage.objects.exclude(pk=parked.pk).values_list("slug", "role")) == (
        pipeline_migration.ROLES_BY_SEEDED_SLUG
    )
    others = set(Stage.objects.exclude(pk=parked.pk))
    assert set(parked.next_stages.all()) == others  # merged included: it could be merged
    assert set(parked.previous_stages.all()) == others - {stage("merged")}
    assert {s.slug for s in stage("shipped").next_stages.all()} == {"in-progress", "parked"}
    assert not stage("merged").next_stages.exists()
    pipeline_migration.seed_pipeline(apps, None)  # idempotent
    assert set(parked.next_stages.all()) == others


def test_the_api_refuses_an_undeclared_move_with_the_same_reason(team):
    from tests.integrations.conftest import token_client

    idea = IdeaFactory()
    response = token_client(team).post(
        f"/api/v1/ideas/{idea.pk}/move/", {"stage": "shipped", "note": "Done."}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Ideas in “New” can't move to “Shipped”.")
    assert not IdeaStageChange.objects.filter(idea=idea).exists()
