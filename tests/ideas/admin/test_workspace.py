"""The idea workspace: everything about one idea, and only the team's fields editable."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from ideas.models import Idea, InternalNote, Stage
from ideas.services import idea_move
from tests.factories import IdeaFactory, UserFactory, editor, make_campaign, team_member
from tests.ideas.admin.helpers import shown
from voting.models import Vote

pytestmark = pytest.mark.django_db


def url(idea):
    return f"/admin/ideas/edit/{idea.pk}/"


def test_workspace_shows_the_full_idea_votes_per_day_and_stage_history(team_client, team):
    idea = IdeaFactory(
        title="Spending summary every Sunday",
        description="A short notification every Sunday with what I spent this week.",
    )
    now = timezone.now()
    for days_ago, voters in ((2, 3), (0, 1)):
        for _n in range(voters):
            Vote.objects.create(
                idea=idea,
                member=UserFactory(),
                campaign=idea.campaign,
                created_at=now - timedelta(days=days_ago),
            )
    idea_move(
        idea=idea,
        to_stage=Stage.objects.get(slug="under-review"),
        actor=team,
        note="Looking into it.",
    )
    html = team_client.get(url(idea)).content.decode()
    assert "A short notification every Sunday with what I spent this week." in html
    assert "Votes over time" in html and "<td>3</td>" in html and "<td>1</td>" in html
    assert "Stage history" in html and "Looking into it." in html and "Tomás Team" in html


def test_internal_notes_are_listed_and_added_by_the_team(team_client, team):
    idea = IdeaFactory()
    InternalNote.objects.create(idea=idea, author=team, body="Check with legal first.")
    assert "Check with legal first." in team_client.get(url(idea)).content.decode()
    response = team_client.post(
        f"/admin/ideas/note/{idea.pk}/", {"body": "Engineering says 2 weeks."}
    )
    assert response["Location"] == url(idea) + "#internal-notes"
    assert "Internal note added." in shown(response)
    assert idea.internal_notes.filter(body="Engineering says 2 weeks.", author=team).exists()


def test_internal_notes_never_reach_the_public_idea_page(client, team):
    idea = IdeaFactory()
    InternalNote.objects.create(idea=idea, author=team, body="Check with legal first.")
    assert "Check with legal first." not in client.get(idea.get_absolute_url()).content.decode()


def edit(client, idea, **fields):
    data = {
        "assignee": "",
        "category": "",
        "tags": "",
        "reach": "",
        "impact": "",
        "confidence": "",
        "effort": "",
    }
    data.update(fields)
    return client.post(url(idea), data)


def test_team_fields_are_saved_and_priority_is_computed(team_client, team):
    idea = IdeaFactory()
    category = idea.campaign.categories.first()
    response = edit(
        team_client,
        idea,
        assignee=team.pk,
        category=category.pk,
        tags="payments, ux",
        reach=500,
        impact="2",
        confidence=80,
        effort="2",
    )
    assert response.status_code == 302 and response["Location"] == url(idea)
    idea.refresh_from_db()
    assert (idea.assignee, idea.category, idea.priority) == (team, category, 400.0)
    assert set(idea.tags.names()) == {"payments", "ux"}


def test_title_description_and_stage_cannot_be_edited_as_fields(team_client):
    idea = IdeaFactory(title="The author's own title")
    planned = Stage.objects.get(slug="planned")
    edit(team_client, idea, title="Rewritten by the team", description="x" * 30, stage=planned.pk)
    idea.refresh_from_db()
    assert idea.title == "The author's own title" and idea.stage.slug == "new"
    html = team_client.get(url(idea)).content.decode()
    assert 'id="id_title"' not in html and 'id="id_description"' not in html
    assert 'id="id_stage"' not in html  # only the move form's stage select (move_stage)


def test_saving_the_workspace_keeps_votes_cast_meanwhile(team_client):
    idea = IdeaFactory(vote_count=3)
    # A vote arrives between opening the workspace and saving it.
    Idea.objects.filter(pk=idea.pk).update(vote_count=4)
    edit(team_client, idea, reach=10)
    idea.refresh_from_db()
    assert idea.vote_count == 4 and idea.reach == 10


def test_assignee_must_be_staff_and_category_from_the_campaign(team_client):
    idea = IdeaFactory()
    other_category = make_campaign().categories.first()
    member = UserFactory()
    response = edit(team_client, idea, assignee=member.pk, category=other_category.pk)
    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.assignee is None and idea.category is None


def test_the_move_form_posts_an_official_response_when_the_stage_stays(team_client):
    idea = IdeaFactory(title="Answer me without moving")
    html = team_client.get(url(idea)).content.decode()
    assert "Move or respond" in html
    response = team_client.post(
        f"/admin/ideas/move/{idea.pk}/",
        {"stage": idea.stage_id, "note": "Thanks, we are collecting feedback.", "next": url(idea)},
    )
    assert "Official response posted on “Answer me without moving”." in shown(response)
    idea.refresh_from_db()
    assert idea.response == "Thanks, we are collecting feedback." and idea.stage.slug == "new"


def test_moving_to_the_same_stage_without_a_note_is_refused_with_the_reason(team_client):
    idea = IdeaFactory()
    response = team_client.post(f"/admin/ideas/move/{idea.pk}/", {"stage": idea.stage_id})
    assert response.status_code == 200
    assert "This idea is already in “New”." in response.content.decode()


def test_saving_the_triage_form_asks_before_dropping_an_unsent_public_note(team_client):
    idea = IdeaFactory()
    html = team_client.get(url(idea)).content.decode()
    # The two notes the question is about, and the form whose Save would drop them.
    assert 'id="move_note"' in html and 'id="merge_note"' in html
    assert 'id="w-editor-form"' in html
    script = html[html.index("You have an unsent public note.") - 400 :]
    assert "You have an unsent public note. Leave it unsent?" in script
    assert '["move_note", "merge_note"]' in script and "window.confirm(question)" in script
    assert "event.preventDefault()" in script
    # Without JavaScript the forms still work on their own: plain posts to their views.
    assert f'action="/admin/ideas/move/{idea.pk}/"' in html
    assert f'action="/admin/ideas/merge/{idea.pk}/"' in html


def test_the_sticky_save_bar_leaves_room_for_the_move_and_merge_buttons(team_client):
    html = team_client.get(url(IdeaFactory())).content.decode()
    assert "#w-editor-form { padding-bottom: 7rem; }" in html
    # “Merge into this one” lands on the merge form, not the top of the section above it.
    assert 'id="merge-form"' in html


def test_the_tag_input_gets_the_label_of_the_tags_field(team_client):
    html = team_client.get(url(IdeaFactory())).content.decode()
    assert 'id="id_tags-label"' in html and 'id="id_tags"' in html
    assert 'input.setAttribute("aria-labelledby", label.id)' in html


def test_only_product_team_members_can_be_assigned(team_client, team, superuser):
    idea = IdeaFactory()
    an_editor = editor(display_name="Eddie Editor")
    gone = team_member(display_name="Gone Teammate", is_active=False)
    response = team_client.get(url(idea))
    choices = set(response.context["form"].fields["assignee"].queryset)
    assert team in choices and superuser in choices
    assert an_editor not in choices and gone not in choices
    html = response.content.decode()
    assert "Eddie Editor" not in html and "Tomás Team" in html
    response = edit(team_client, idea, assignee=an_editor.pk)
    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.assignee is None


def stage_options(html):
    select = html[
        html.index('id="move_stage"') : html.index("</select>", html.index('id="move_stage"'))
    ]
    return [o.split(">", 1)[1].split("<", 1)[0].strip() for o in select.split("<option")[2:]]


def test_the_move_form_offers_the_stage_itself_and_the_allowed_moves_only(team_client):
    html = team_client.get(
        url(IdeaFactory(stage=Stage.objects.get(slug="planned")))
    ).content.decode()
    assert stage_options(html) == ["Planned", "Under review", "In progress", "Shipped", "Declined"]


def test_an_idea_the_pipeline_does_not_let_merge_says_so_instead_of_the_merge_form(team_client):
    idea = IdeaFactory(stage=Stage.objects.get(slug="shipped"))
    html = unescape(team_client.get(url(idea)).content.decode())
    assert "Ideas in “Shipped” can't be merged into another idea." in html
    assert 'id="merge-form"' not in html


def test_the_workspace_saves_through_the_triage_service(team_client, team):
    idea = IdeaFactory()
    response = edit(team_client, idea, reach=100, impact="1", confidence=50, effort="1")
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.priority == 50.0
    # The service logs the edit for the idea's history in the admin.
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(object_id=str(idea.pk), action="wagtail.edit").exists()
