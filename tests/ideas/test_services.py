import pytest

from core.exceptions import NotAllowed
from ideas.models import Idea, Stage
from ideas.services import idea_submit, idea_update, idea_withdraw
from tests.factories import IdeaFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db

DATA = {
    "title": "Round up purchases into savings",
    "description": "Round every card payment up to the next euro.",
}


def test_member_submits_an_idea_that_is_published_in_the_new_stage(member):
    campaign = make_campaign()
    idea = idea_submit(campaign=campaign, author=member, data={**DATA, "tags": ["savings", "card"]})
    assert idea.status == Idea.Status.PUBLISHED
    assert idea.stage.slug == "new"
    assert sorted(t.name for t in idea.tags.all()) == ["card", "savings"]


def test_idea_in_a_pre_moderated_campaign_waits_for_review(member):
    campaign = make_campaign(moderation="hold")
    idea = idea_submit(campaign=campaign, author=member, data=DATA)
    assert idea.status == Idea.Status.PENDING
    assert not Idea.objects.public().filter(pk=idea.pk).exists()


@pytest.mark.parametrize("phase", ["upcoming", "voting", "closed"])
def test_ideas_can_only_be_submitted_in_the_submission_window(member, phase):
    campaign = make_campaign(phase=phase)
    with pytest.raises(NotAllowed):
        idea_submit(campaign=campaign, author=member, data=DATA)
    assert not Idea.objects.exists()


def test_anonymous_visitor_cannot_submit():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed, match="Sign in"):
        idea_submit(campaign=make_campaign(), author=AnonymousUser(), data=DATA)


def test_title_too_short_is_refused(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        idea_submit(campaign=make_campaign(), author=member, data={**DATA, "title": "Hi"})


def test_author_can_edit_while_the_idea_is_new():
    idea = IdeaFactory()
    idea_update(
        idea=idea, actor=idea.author, data={"title": "A better, clearer title", "tags": ["x"]}
    )
    idea.refresh_from_db()
    assert idea.title == "A better, clearer title"


def test_author_cannot_edit_once_the_idea_left_new():
    idea = IdeaFactory(stage=Stage.objects.get(slug="under-review"))
    with pytest.raises(NotAllowed, match="no longer be edited"):
        idea_update(idea=idea, actor=idea.author, data={"title": "Sneaky new title here"})


def test_someone_else_cannot_edit_or_withdraw():
    idea = IdeaFactory()
    other = UserFactory()
    with pytest.raises(NotAllowed):
        idea_update(idea=idea, actor=other, data={"title": "Not my idea at all"})
    with pytest.raises(NotAllowed):
        idea_withdraw(idea=idea, actor=other)


def test_author_withdraws_and_the_idea_leaves_the_listings():
    idea = IdeaFactory()
    idea_withdraw(idea=idea, actor=idea.author)
    assert not Idea.objects.public().filter(pk=idea.pk).exists()
    with pytest.raises(NotAllowed):
        idea_withdraw(idea=idea, actor=idea.author)


def test_category_must_belong_to_the_campaign(member):
    campaign, other = make_campaign(), make_campaign()
    with pytest.raises(ValueError):
        idea_submit(
            campaign=campaign, author=member, data={**DATA, "category": other.categories.first()}
        )


# The triage fields of the admin workspace -------------------------------------------------


def test_triage_update_saves_the_team_fields_and_the_priority():
    from ideas.services import idea_triage_update
    from tests.factories import team_member

    team = team_member()
    idea = IdeaFactory(vote_count=3)
    Idea.objects.filter(pk=idea.pk).update(vote_count=5)  # a vote arrived meanwhile
    category = idea.campaign.categories.first()
    idea_triage_update(
        idea=idea,
        actor=team,
        data={
            "assignee": team,
            "category": category,
            "reach": 10,
            "impact": 2,
            "confidence": 50,
            "effort": 1,
            "tags": ["ux"],
        },
    )
    idea.refresh_from_db()
    assert (idea.assignee, idea.category, idea.priority) == (team, category, 10.0)
    assert list(idea.tags.names()) == ["ux"] and idea.vote_count == 5


def test_triage_update_refuses_what_the_form_would_not_offer():
    from django.core.exceptions import ValidationError

    from ideas.services import idea_triage_update
    from tests.factories import editor, team_member

    team, idea = team_member(), IdeaFactory()
    with pytest.raises(NotAllowed):
        idea_triage_update(idea=idea, actor=UserFactory(is_staff=True), data={"reach": 1})
    with pytest.raises(NotAllowed, match="category"):
        other = make_campaign().categories.first()
        idea_triage_update(idea=idea, actor=team, data={"category": other})
    with pytest.raises(NotAllowed, match="product team"):
        idea_triage_update(idea=idea, actor=team, data={"assignee": editor()})
    with pytest.raises(ValidationError):
        idea_triage_update(idea=idea, actor=team, data={"confidence": 150})
    idea.refresh_from_db()
    assert (idea.category, idea.assignee, idea.confidence) == (None, None, None)


def test_triage_update_keeps_an_assignee_who_left_the_team():
    from ideas.services import idea_triage_update
    from tests.factories import team_member

    gone = team_member(is_active=False)
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(assignee=gone)
    idea.refresh_from_db()
    idea_triage_update(idea=idea, actor=team_member(), data={"assignee": gone, "reach": 5})
    idea.refresh_from_db()
    assert idea.assignee == gone and idea.reach == 5
