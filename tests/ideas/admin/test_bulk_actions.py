"""Bulk actions on the admin list: move with one public note, assign, tag, export CSV."""

import csv
import io

import pytest
from django.contrib.messages import get_messages

from ideas.models import Idea, IdeaStageChange, InternalNote, Stage
from tests.factories import IdeaFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db


def bulk(client, action, ideas, data=None, query=""):
    ids = "&".join(f"id={i.pk}" for i in ideas)
    return client.post(
        f"/admin/bulk/ideas/idea/{action}/?{ids}{query}&next=/admin/ideas/", data or {}
    )


def shown(response):
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


@pytest.fixture
def ideas():
    campaign = make_campaign(title="Savings app")
    return [IdeaFactory(campaign=campaign, title=f"Bulk idea number {n}") for n in range(3)]


def test_list_offers_the_bulk_actions(team_client, ideas):
    html = team_client.get("/admin/ideas/").content.decode()
    assert "data-bulk-action-checkbox" in html
    for action in ("move", "assign", "tag", "export"):
        assert f"/admin/bulk/ideas/idea/{action}/" in html


def test_confirmation_page_lists_the_selected_ideas_and_asks_for_stage_and_note(team_client, ideas):
    html = team_client.get(
        f"/admin/bulk/ideas/idea/move/?id={ideas[0].pk}&id={ideas[1].pk}"
    ).content.decode()
    assert "Bulk idea number 0" in html and "Bulk idea number 1" in html
    assert "Bulk idea number 2" not in html
    assert 'name="stage"' in html and 'name="note"' in html


def test_bulk_move_moves_every_idea_with_the_same_public_note(team_client, ideas):
    planned = Stage.objects.get(slug="planned")
    response = bulk(team_client, "move", ideas, {"stage": planned.pk, "note": "Coming in spring."})
    assert response.status_code == 302 and response["Location"] == "/admin/ideas/"
    assert set(Idea.objects.values_list("stage__slug", "response")) == {
        ("planned", "Coming in spring.")
    }
    assert IdeaStageChange.objects.filter(to_stage=planned, note="Coming in spring.").count() == 3
    assert "3 ideas moved to “Planned”." in shown(response)


def test_bulk_move_to_a_stage_that_needs_a_note_reports_each_refusal(team_client, ideas):
    declined = Stage.objects.get(slug="declined")
    response = bulk(team_client, "move", ideas, {"stage": declined.pk, "note": ""})
    assert not Idea.objects.filter(stage=declined).exists()
    messages = shown(response)
    assert len([m for m in messages if m.startswith("Not moved")]) == 3
    assert any("needs a public note" in m and "Bulk idea number 0" in m for m in messages)


def test_bulk_move_moves_what_it_can_and_reports_the_rest(team_client, ideas):
    ideas[1].status = Idea.Status.WITHDRAWN
    ideas[1].save()
    review = Stage.objects.get(slug="under-review")
    response = bulk(team_client, "move", ideas, {"stage": review.pk})
    assert Idea.objects.filter(stage=review).count() == 2
    messages = shown(response)
    assert "2 ideas moved to “Under review”." in messages
    assert any("Bulk idea number 1" in m and "withdrawn" in m for m in messages)


def test_bulk_move_cannot_mark_ideas_as_merged(team_client, ideas):
    merged = Stage.objects.get(slug="merged")
    response = bulk(team_client, "move", ideas, {"stage": merged.pk, "note": "dupes"})
    assert response.status_code == 200  # the form says the choice is not valid
    assert not Idea.objects.filter(stage=merged).exists()


def test_select_all_in_listing_applies_to_the_filtered_ideas_only(team_client, ideas):
    other = IdeaFactory(title="Idea in another campaign")
    review = Stage.objects.get(slug="under-review")
    campaign = ideas[0].campaign_id
    team_client.post(
        f"/admin/bulk/ideas/idea/move/?id=all&campaign={campaign}", {"stage": review.pk}
    )
    assert Idea.objects.filter(stage=review).count() == 3
    other.refresh_from_db()
    assert other.stage.slug == "new"


def test_bulk_assign_to_a_staff_member_and_unassign(team_client, ideas):
    staff = UserFactory(is_staff=True, display_name="Sam Staff")
    response = bulk(team_client, "assign", ideas[:2], {"assignee": staff.pk})
    assert "2 ideas assigned to Sam Staff." in shown(response)
    assert Idea.objects.filter(assignee=staff).count() == 2
    bulk(team_client, "assign", ideas[:2], {"assignee": ""})
    assert not Idea.objects.filter(assignee__isnull=False).exists()


def test_bulk_assign_refuses_a_member_who_is_not_staff(team_client, ideas):
    member = UserFactory()
    response = bulk(team_client, "assign", ideas, {"assignee": member.pk})
    assert response.status_code == 200
    assert not Idea.objects.filter(assignee=member).exists()


def test_bulk_add_tag(team_client, ideas):
    ideas[0].tags.add("payments")
    response = bulk(team_client, "tag", ideas, {"tag": "payments"})
    assert "Tag “payments” added to 3 ideas." in shown(response)
    assert Idea.objects.filter(tags__name="payments").count() == 3


def test_export_csv_has_the_columns_and_never_internal_notes(team_client, team, ideas):
    idea = ideas[0]
    idea.assignee = team
    idea.reach, idea.impact, idea.confidence, idea.effort = 100, 2, 50, 1
    idea.save()
    Idea.objects.filter(pk=idea.pk).update(vote_count=4, comment_count=2)
    InternalNote.objects.create(idea=idea, author=team, body="SECRET margin discussion")
    response = bulk(team_client, "export", [idea])
    assert response["Content-Disposition"].startswith('attachment; filename="ideas-')
    body = response.content.decode()
    assert "SECRET" not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "id",
        "title",
        "campaign",
        "stage",
        "votes",
        "comments",
        "author",
        "created",
        "assignee",
        "priority",
        "url",
    ]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == "Bulk idea number 0" and row["campaign"] == "Savings app"
    assert (row["stage"], row["votes"], row["comments"]) == ("New", "4", "2")
    assert row["assignee"] == "Tomás Team" and row["priority"] == "100.0"
    assert row["url"].endswith(f"/ideas/{idea.pk}/") and row["url"].startswith("http")


def test_export_neutralises_spreadsheet_formulas_in_titles(team_client):
    idea = IdeaFactory(title="=HYPERLINK(evil) idea title")
    rows = list(csv.reader(io.StringIO(bulk(team_client, "export", [idea]).content.decode())))
    assert rows[1][1] == "'=HYPERLINK(evil) idea title"
