"""idea_move and ideas_merge: every move, notes, budgets, merges, history."""

import pytest

from core.exceptions import NotAllowed
from ideas.models import Event, Follow, Idea, IdeaStageChange, Stage
from ideas.services import idea_move, idea_withdraw, ideas_merge
from tests.factories import IdeaFactory, UserFactory, make_campaign
from voting.models import Vote
from voting.services import vote_cast, votes_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return UserFactory(is_team=True, is_staff=True)


def stage(slug):
    return Stage.objects.get(slug=slug)


@pytest.mark.parametrize(
    "start,slug",
    [
        ("new", "under-review"),
        ("new", "planned"),
        ("planned", "in-progress"),
        ("in-progress", "shipped"),
        ("under-review", "new"),
    ],
)
def test_team_moves_an_idea_along_the_pipeline_and_the_history_records_it(team, start, slug):
    idea = IdeaFactory(stage=stage(start))
    before = idea.stage
    change = idea_move(idea=idea, to_stage=stage(slug), actor=team, note="")
    idea.refresh_from_db()
    assert idea.stage.slug == slug
    assert (change.from_stage, change.to_stage, change.actor) == (before, stage(slug), team)
    assert idea.stage_changed_at == change.created_at
    assert Event.objects.get(idea=idea).kind == Event.Kind.STAGE_CHANGED


@pytest.mark.parametrize("slug", ["declined"])
def test_stages_that_need_a_note_refuse_a_move_without_one(team, slug):
    idea = IdeaFactory()
    with pytest.raises(NotAllowed, match="needs a public note"):
        idea_move(idea=idea, to_stage=stage(slug), actor=team, note="   ")
    idea.refresh_from_db()
    assert idea.stage.slug == "new"
    assert not IdeaStageChange.objects.exists() and not Event.objects.exists()
    idea_move(idea=idea, to_stage=stage(slug), actor=team, note="Out of scope for this year.")
    idea.refresh_from_db()
    assert idea.stage.slug == slug
    assert idea.response == "Out of scope for this year."


def test_merged_stage_is_only_reached_through_merge(team):
    idea = IdeaFactory()
    with pytest.raises(NotAllowed, match="Merge"):
        idea_move(idea=idea, to_stage=stage("merged"), actor=team, note="dup")


def test_a_note_on_the_same_stage_is_an_official_response(team):
    idea = IdeaFactory()
    idea_move(idea=idea, to_stage=stage("under-review"), actor=team, note="Looking at it.")
    idea_move(idea=idea, to_stage=stage("under-review"), actor=team, note="Data is in: yes.")
    idea.refresh_from_db()
    assert idea.response == "Data is in: yes."
    kinds = list(Event.objects.filter(idea=idea).order_by("pk").values_list("kind", flat=True))
    assert kinds == [Event.Kind.STAGE_CHANGED, Event.Kind.RESPONSE]
    with pytest.raises(NotAllowed, match="already in"):
        idea_move(idea=idea, to_stage=stage("under-review"), actor=team, note="")
    assert [c.note for c in idea.stage_changes.all()] == ["Data is in: yes.", "Looking at it."]


@pytest.mark.parametrize("role", ["anonymous", "member", "editor", "staff-not-team", "inactive"])
def test_only_the_product_team_moves_ideas(role):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "anonymous": lambda: AnonymousUser(),
        "member": lambda: UserFactory(),
        "editor": lambda: UserFactory(is_staff=True),
        "staff-not-team": lambda: UserFactory(is_staff=True),
        "inactive": lambda: UserFactory(is_team=True, is_active=False),
    }[role]()
    idea = IdeaFactory()
    with pytest.raises(NotAllowed):
        idea_move(idea=idea, to_stage=stage("planned"), actor=actor)
    idea.refresh_from_db()
    assert idea.stage.slug == "new"


def test_superuser_may_move(team):
    idea = IdeaFactory()
    idea_move(idea=idea, to_stage=stage("planned"), actor=UserFactory(is_superuser=True))
    assert Idea.objects.get(pk=idea.pk).stage.slug == "planned"


def test_withdrawn_ideas_do_not_move(team):
    idea = IdeaFactory()
    idea_withdraw(idea=idea, actor=idea.author)
    with pytest.raises(NotAllowed, match="withdrawn"):
        idea_move(idea=idea, to_stage=stage("planned"), actor=team)


def test_overlong_notes_are_refused_with_a_message(team):
    with pytest.raises(NotAllowed, match="at most"):
        idea_move(idea=IdeaFactory(), to_stage=stage("planned"), actor=team, note="x" * 5001)


@pytest.mark.parametrize(
    "slug,refunded", [("shipped", True), ("declined", True), ("planned", False)]
)
def test_voters_get_their_vote_back_when_an_idea_closes(team, slug, refunded):
    campaign = make_campaign(vote_budget=2)
    # In progress: from there the default pipeline allows each of these moves.
    idea = IdeaFactory(campaign=campaign, stage=stage("in-progress"))
    other = IdeaFactory(campaign=campaign)
    voter = UserFactory()
    vote_cast(idea=idea, member=voter)
    vote_cast(idea=other, member=voter)
    assert votes_left(member=voter, campaign=campaign) == 0
    idea_move(idea=idea, to_stage=stage(slug), actor=team, note="Because.")
    assert votes_left(member=voter, campaign=campaign) == (1 if refunded else 0)
    # The vote itself stays recorded and counted on the idea.
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


def test_merge_moves_votes_without_counting_anyone_twice(team):
    campaign = make_campaign(vote_budget=5)
    source, target = IdeaFactory(campaign=campaign), IdeaFactory(campaign=campaign)
    only_source = [UserFactory() for _ in range(3)]
    both = [UserFactory() for _ in range(2)]
    only_target = [UserFactory() for _ in range(4)]
    for member in only_source + both:
        vote_cast(idea=source, member=member)
    for member in both + only_target:
        vote_cast(idea=target, member=member)
    follower = UserFactory()
    Follow.objects.create(member=follower, idea=source)

    ideas_merge(source=source, target=target, actor=team, note="Same request as the target.")

    source.refresh_from_db()
    target.refresh_from_db()
    assert source.stage.slug == "merged" and source.merged_into == target
    assert source.vote_count == 0 and not Vote.objects.filter(idea=source).exists()
    assert target.vote_count == 3 + 2 + 4 == Vote.objects.filter(idea=target).count()
    assert Vote.objects.filter(member__in=both).count() == 2  # one each, on the target
    for member in both:
        assert votes_left(member=member, campaign=campaign) == 4  # the second vote came back
    for member in only_source:
        assert votes_left(member=member, campaign=campaign) == 4
    # Followers (including the source's voters and author) now follow the target.
    assert Follow.objects.filter(idea=target, member=follower).exists()
    assert not Follow.objects.filter(idea=source).exists()
    # History intact on the source, with the note; the event remembers who to tell.
    change = source.stage_changes.get()
    assert (change.from_stage.slug, change.to_stage.slug) == ("new", "merged")
    event = Event.objects.get(idea=source, kind=Event.Kind.MERGED)
    assert event.data["votes_moved"] == 3 and event.data["votes_returned"] == 2
    assert follower.pk in event.data["followers"]


def test_merge_needs_a_note_a_different_idea_and_the_same_campaign(team):
    source, target = IdeaFactory(), IdeaFactory()
    with pytest.raises(NotAllowed, match="campaign"):
        ideas_merge(source=source, target=target, actor=team, note="dup")
    target = IdeaFactory(campaign=source.campaign)
    with pytest.raises(NotAllowed, match="why"):
        ideas_merge(source=source, target=target, actor=team, note="")
    with pytest.raises(NotAllowed, match="itself"):
        ideas_merge(source=source, target=source, actor=team, note="dup")
    with pytest.raises(NotAllowed):
        ideas_merge(source=source, target=target, actor=UserFactory(), note="dup")
    ideas_merge(source=source, target=target, actor=team, note="dup")
    other = IdeaFactory(campaign=source.campaign)
    with pytest.raises(NotAllowed, match="already merged"):
        ideas_merge(source=source, target=other, actor=team, note="again")
    with pytest.raises(NotAllowed, match="target"):
        ideas_merge(source=other, target=source, actor=team, note="into a merged one")
    with pytest.raises(NotAllowed, match="stays merged"):
        idea_move(idea=source, to_stage=stage("planned"), actor=team)
