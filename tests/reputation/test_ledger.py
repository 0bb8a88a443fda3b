"""The points ledger: what earns points, what takes them back, and that an award is never
given twice for the same thing."""

import pytest
from django.db import IntegrityError, transaction

from ideas.models import Idea, Stage
from ideas.services import idea_move, idea_withdraw, ideas_merge
from reputation.models import PointsEntry, Reason, ReputationSettings
from reputation.services import points_sync_ideas
from tests.factories import (
    IdeaFactory,
    UserFactory,
    comment_on,
    ledger_points,
    like,
    make_campaign,
    total_points,
)
from voting.services import vote_cast, vote_withdraw

pytestmark = pytest.mark.django_db

D = ReputationSettings()  # the defaults


def published(author, events, campaign=None):
    from ideas.services import idea_submit

    campaign = campaign or make_campaign()
    return events(
        idea_submit,
        campaign=campaign,
        author=author,
        data={"title": "Round up my card payments", "description": "Save the change for me."},
    )


def reasons(member):
    return sorted(PointsEntry.objects.filter(member=member).values_list("reason", "points"))


def test_a_first_published_idea_earns_publication_and_first_idea_points(member, events):
    published(member, events)
    assert total_points(member) == D.idea_published + D.first_idea == ledger_points(member)
    assert reasons(member) == sorted(
        [(Reason.FIRST_IDEA, D.first_idea), (Reason.IDEA_PUBLISHED, D.idea_published)]
    )


def test_the_second_idea_earns_no_first_idea_points(member, events):
    campaign = make_campaign()
    published(member, events, campaign)
    published(member, events, campaign)
    assert total_points(member) == 2 * D.idea_published + D.first_idea


def test_a_vote_on_your_idea_earns_points_and_its_withdrawal_takes_them_back(member, events):
    idea = published(member, events)
    voter = UserFactory()
    before = total_points(member)
    vote_cast(idea=idea, member=voter)
    assert total_points(member) == before + D.vote_received
    vote_withdraw(idea=idea, member=voter)
    assert total_points(member) == before == ledger_points(member)
    assert PointsEntry.objects.filter(member=member, is_reversal=True).count() == 1
    assert total_points(voter) == 0


def test_voting_for_your_own_idea_earns_nothing(member, events):
    idea = published(member, events)
    before = total_points(member)
    vote_cast(idea=idea, member=member)
    assert total_points(member) == before


def test_moving_to_planned_and_shipped_earns_points_once(member, team, events):
    idea = published(member, events)
    before = total_points(member)
    for slug in ("under-review", "planned", "in-progress", "shipped"):
        events(idea_move, idea=idea, to_stage=Stage.objects.get(slug=slug), actor=team)
    assert total_points(member) == before + D.idea_planned + D.idea_shipped
    # Replaying every event writes nothing new.
    assert points_sync_ideas(ideas=[idea]) == 0
    assert total_points(member) == ledger_points(member)


def test_a_merged_idea_loses_its_points_and_its_votes_earn_for_the_target(member, team, events):
    campaign = make_campaign()
    source = published(member, events, campaign)
    other = UserFactory()
    target = published(other, events, campaign)
    voter = UserFactory()
    vote_cast(idea=source, member=voter)
    events(ideas_merge, source=source, target=target, actor=team, note="The same idea.")
    assert total_points(member) == 0 == ledger_points(member)
    assert total_points(other) == D.idea_published + D.first_idea + D.vote_received


def test_a_withdrawn_or_rejected_idea_loses_its_points(member, events):
    idea = published(member, events)
    idea_withdraw(idea=idea, actor=member)
    assert total_points(member) == 0 == ledger_points(member)
    rejected = published(UserFactory(), events)
    rejected.status = Idea.Status.REJECTED
    rejected.save(update_fields=["status", "updated_at"])
    assert total_points(rejected.author) == 0


def test_the_first_idea_award_moves_when_the_first_idea_is_merged(member, team, events):
    campaign = make_campaign()
    first = published(member, events, campaign)
    second = published(member, events, campaign)
    events(ideas_merge, source=first, target=second, actor=team, note="The same idea.")
    assert total_points(member) == D.idea_published + D.first_idea == ledger_points(member)


def test_staff_earn_no_points(team, events):
    idea = published(team, events)
    vote_cast(idea=idea, member=UserFactory())
    assert total_points(team) == 0
    assert not PointsEntry.objects.filter(member=team).exists()


def test_a_like_on_your_comment_earns_points_and_unliking_takes_them_back(member):
    idea = IdeaFactory()
    comment = comment_on(idea, member)
    flag = like(comment, UserFactory())
    assert total_points(member) == D.comment_liked
    flag.delete()
    assert total_points(member) == 0 == ledger_points(member)


def test_a_removed_comment_loses_its_like_points(member):
    comment = comment_on(IdeaFactory(), member)
    like(comment, UserFactory())
    comment.is_removed = True
    comment.save()
    assert total_points(member) == 0


def test_values_come_from_the_site_settings(member, events):
    from wagtail.models import Site

    campaign = make_campaign()  # builds the site
    ReputationSettings.objects.create(
        site=Site.objects.get(is_default_site=True), idea_published=7, first_idea=0
    )
    published(member, events, campaign)
    assert total_points(member) == 7


def test_the_same_award_cannot_be_written_twice(member, events):
    published(member, events)
    entry = PointsEntry.objects.filter(member=member).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            member=member,
            points=entry.points,
            reason=entry.reason,
            content_type=entry.content_type,
            object_id=entry.object_id,
        )


def test_deleting_an_account_takes_back_what_its_votes_gave_and_drops_its_ledger(member, events):
    from privacy.services import member_delete

    idea = published(member, events)
    voter = UserFactory()
    published(voter, events)
    vote_cast(idea=idea, member=voter)
    before, voter_id = total_points(member), voter.pk
    assert PointsEntry.objects.filter(member_id=voter_id).exists()
    member_delete(member=voter)
    assert total_points(member) == before - D.vote_received == ledger_points(member)
    assert not PointsEntry.objects.filter(member_id=voter_id).exists()


def test_the_data_export_holds_the_members_points(member, events):
    from privacy.services import member_data_export

    published(member, events)
    data = member_data_export(member=member)["reputation"]
    assert data["points"] == D.idea_published + D.first_idea
    assert {e["reason"] for e in data["entries"]} == {Reason.IDEA_PUBLISHED, Reason.FIRST_IDEA}
