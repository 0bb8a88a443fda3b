"""A property test: random sequences of vote, unvote, merge, move, like, mark helpful, hide a
comment and delete an account never let a cached total drift from the ledger, and every award
held is one the current state deserves (the ledger replays to itself)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import NotAllowed
from ideas.models import Idea, Stage
from ideas.services import idea_move, ideas_merge
from privacy.services import member_delete
from reputation.models import MemberPoints, PointsEntry
from reputation.services import (
    comment_mark_helpful,
    points_sync_comment,
    points_sync_ideas,
    points_totals_rebuild,
)
from tests.factories import IdeaFactory, UserFactory, comment_on, like, make_campaign, team_member
from voting.services import vote_cast, vote_withdraw

pytestmark = pytest.mark.django_db

N_MEMBERS, N_IDEAS = 5, 4
step = st.one_of(
    st.tuples(st.just("vote"), st.integers(0, N_IDEAS - 1), st.integers(0, N_MEMBERS - 1)),
    st.tuples(st.just("unvote"), st.integers(0, N_IDEAS - 1), st.integers(0, N_MEMBERS - 1)),
    st.tuples(st.just("merge"), st.integers(0, N_IDEAS - 1), st.integers(0, N_IDEAS - 1)),
    st.tuples(
        st.just("move"),
        st.integers(0, N_IDEAS - 1),
        st.sampled_from(["under-review", "planned", "in-progress", "shipped", "declined"]),
    ),
    st.tuples(st.just("like"), st.integers(0, N_IDEAS - 1), st.integers(0, N_MEMBERS - 1)),
    st.tuples(st.just("helpful"), st.integers(0, N_IDEAS - 1), st.just(0)),
    st.tuples(st.just("hide"), st.integers(0, N_IDEAS - 1), st.just(0)),
    st.tuples(st.just("delete"), st.integers(0, N_MEMBERS - 1), st.just(0)),
)


@pytest.fixture
def world(db):
    return {"campaign": make_campaign(), "team": team_member()}


def run(op, a, b, members, ideas, comments, team, capture):
    """One step; a step the rules refuse (a frozen vote, a move the pipeline does not allow)
    changes nothing, which is part of the property too."""
    try:
        with transaction.atomic():
            _run(op, a, b, members, ideas, comments, team, capture)
    except NotAllowed:
        pass


def _run(op, a, b, members, ideas, comments, team, capture):
    with capture(execute=True):
        if op in ("vote", "unvote", "like") and members[b] is None:
            return
        if op == "vote":
            idea = Idea.objects.get(pk=ideas[a].pk)
            if idea.status == Idea.Status.PUBLISHED and not idea.stage.is_closed:
                vote_cast(idea=idea, member=members[b])
        elif op == "unvote":
            vote_withdraw(idea=Idea.objects.get(pk=ideas[a].pk), member=members[b])
        elif op == "merge":
            source, target = (Idea.objects.get(pk=ideas[i].pk) for i in (a, b))
            if a != b and not source.stage.is_merged and not target.stage.is_merged:
                ideas_merge(source=source, target=target, actor=team, note="Same idea.")
        elif op == "move":
            idea = Idea.objects.get(pk=ideas[a].pk)
            idea_move(idea=idea, to_stage=Stage.objects.get(slug=b), actor=team, note="Why.")
        elif op == "like":
            comment = comments[a]
            comment.refresh_from_db()
            if comment.user_id and not comment.flags.filter(user=members[b]).exists():
                like(comment, members[b])
        elif op == "helpful":
            comment = comments[a]
            comment.refresh_from_db()
            if comment.is_public and not comment.is_removed:
                comment_mark_helpful(comment=comment, actor=team)
        elif op == "hide":
            comment = comments[a]
            comment.refresh_from_db()
            comment.is_public = False
            comment.save()
        elif op == "delete" and members[a] is not None:
            member_delete(member=members[a])
            members[a] = None


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=14))
def test_totals_always_equal_the_ledger(world, django_capture_on_commit_callbacks, steps):
    with transaction.atomic():
        members = [UserFactory() for _ in range(N_MEMBERS)]
        ideas = []
        for n in range(N_IDEAS):
            idea = IdeaFactory(campaign=world["campaign"], author=members[n % N_MEMBERS])
            points_sync_ideas(ideas=[idea])  # as the “idea created” event does
            ideas.append(idea)
        comments = [comment_on(ideas[n], members[(n + 1) % N_MEMBERS]) for n in range(N_IDEAS)]
        for op, a, b in steps:
            run(
                op,
                a,
                b,
                members,
                ideas,
                comments,
                world["team"],
                django_capture_on_commit_callbacks,
            )
        ledger = {}
        for member_id, points in PointsEntry.objects.values_list("member_id", "points"):
            ledger[member_id] = ledger.get(member_id, 0) + points
        totals = dict(MemberPoints.objects.values_list("member_id", "points"))
        assert {k: v for k, v in totals.items() if v} == {k: v for k, v in ledger.items() if v}
        # Replaying every sync writes nothing: what is held is what the state deserves.
        entries = PointsEntry.objects.count()
        assert points_sync_ideas(ideas=list(Idea.objects.filter(pk__in=[i.pk for i in ideas]))) == 0
        for comment in comments:
            comment.refresh_from_db()
            assert points_sync_comment(comment=comment) == 0
        assert PointsEntry.objects.count() == entries
        assert all(v >= 0 for v in ledger.values())
        assert points_totals_rebuild() == 0
        transaction.set_rollback(True)
