"""Bulk actions on the admin list: move with one public note, assign, tag, export CSV."""

import csv
import io
from html import unescape

import pytest
from django.contrib.messages import get_messages

from ideas.models import Idea, IdeaStageChange, InternalNote, Stage
from tests.factories import IdeaFactory, UserFactory, editor, make_campaign, team_member

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


def test_bulk_move_to_a_stage_that_needs_a_note_asks_for_the_note_on_the_form(team_client, ideas):
    declined = Stage.objects.get(slug="declined")
    response = bulk(team_client, "move", ideas, {"stage": declined.pk, "note": "  "})
    assert response.status_code == 200
    assert not Idea.objects.filter(stage=declined).exists()
    assert not [m for m in shown(response) if m.startswith("Not moved")]
    form = response.context["form"]
    assert form.errors == {
        "note": [
            "Moving to “Declined” needs a public note that explains why. It is shown on every "
            "idea and sent to their followers."
        ]
    }
    html = response.content.decode()
    assert "Moving to “Declined” needs a public note that explains why." in html
    # The same ideas, and the stage still chosen.
    for idea in ideas:
        assert idea.title in html and f"id={idea.pk}" in html
    assert f'<option value="{declined.pk}" selected>' in html

    response = bulk(team_client, "move", ideas, {"stage": declined.pk, "note": "Out of scope."})
    assert response.status_code == 302
    assert Idea.objects.filter(stage=declined).count() == 3


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


def test_bulk_assign_to_a_team_member_and_unassign(team_client, ideas):
    staff = team_member(display_name="Sam Staff")
    response = bulk(team_client, "assign", ideas[:2], {"assignee": staff.pk})
    assert "2 ideas assigned to Sam Staff." in shown(response)
    assert Idea.objects.filter(assignee=staff).count() == 2
    bulk(team_client, "assign", ideas[:2], {"assignee": ""})
    assert not Idea.objects.filter(assignee__isnull=False).exists()


@pytest.mark.parametrize(
    "who",
    [
        UserFactory,
        editor,
        lambda: UserFactory(is_staff=True),
        lambda: team_member(is_active=False),
    ],
    ids=["member", "editor", "staff outside the team", "inactive team member"],
)
def test_bulk_assign_refuses_anyone_outside_the_product_team(team_client, ideas, who):
    person = who()
    html = team_client.get(f"/admin/bulk/ideas/idea/assign/?id={ideas[0].pk}").content.decode()
    assert f'<option value="{person.pk}"' not in html
    response = bulk(team_client, "assign", ideas, {"assignee": person.pk})
    assert response.status_code == 200
    assert not Idea.objects.filter(assignee=person).exists()


def test_bulk_assign_offers_team_members_and_superusers(team_client, team, superuser, ideas):
    html = team_client.get(f"/admin/bulk/ideas/idea/assign/?id={ideas[0].pk}").content.decode()
    assert f'<option value="{team.pk}"' in html and f'<option value="{superuser.pk}"' in html


def test_bulk_add_tag(team_client, ideas):
    ideas[0].tags.add("payments")
    response = bulk(team_client, "tag", ideas, {"tag": "payments"})
    assert "Tag “payments” added to 3 ideas." in shown(response)
    assert Idea.objects.filter(tags__name="payments").count() == 3


def test_bulk_add_tag_splits_on_commas(team_client, ideas):
    response = bulk(team_client, "tag", ideas[:2], {"tag": " Mobile Banking, travel ,, "})
    assert response.status_code == 302
    assert "Tags “Mobile Banking”, “travel” added to 2 ideas." in shown(response)
    for idea in ideas[:2]:
        assert set(idea.tags.names()) == {"Mobile Banking", "travel"}
    assert not ideas[2].tags.exists()


@pytest.mark.parametrize("typed", ["", "   ", " , ,"])
def test_bulk_add_tag_refuses_an_empty_tag(team_client, ideas, typed):
    response = bulk(team_client, "tag", ideas, {"tag": typed})
    assert response.status_code == 200
    assert "Type a tag to add." in response.content.decode()
    assert not Idea.objects.filter(tags__isnull=False).exists()


def test_export_csv_has_the_columns_and_never_internal_notes(team_client, team, ideas, settings):
    settings.SITE_URL = "https://ideas.example.com/"
    idea = ideas[0]
    idea.assignee = team
    idea.reach, idea.impact, idea.confidence, idea.effort = 100, 2, 50, 1
    idea.category = idea.campaign.categories.get(name="Savings")
    idea.save()
    idea.tags.add("payments", "Mobile banking")
    Idea.objects.filter(pk=idea.pk).update(
        vote_count=4, comment_count=2, response="Planned for spring."
    )
    InternalNote.objects.create(idea=idea, author=team, body="SECRET margin discussion")
    response = bulk(team_client, "export", [idea])
    assert response["Content-Disposition"].startswith('attachment; filename="ideas-')
    # A byte order mark first, so that Excel reads the file as UTF-8.
    assert response.content.startswith(b"\xef\xbb\xbfid,title,")
    body = response.content.decode("utf-8-sig")
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
        "category",
        "tags",
        "official_response",
        "url",
    ]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == "Bulk idea number 0" and row["campaign"] == "Savings app"
    assert (row["stage"], row["votes"], row["comments"]) == ("New", "4", "2")
    assert row["assignee"] == "Tomás Team" and row["priority"] == "100.0"
    assert (row["category"], row["tags"]) == ("Savings", "Mobile banking, payments")
    assert row["official_response"] == "Planned for spring."
    assert row["url"] == f"https://ideas.example.com{idea.get_absolute_url()}"
    assert "localhost" not in body


def test_export_neutralises_spreadsheet_formulas_in_titles(team_client):
    idea = IdeaFactory(title="=HYPERLINK(evil) idea title")
    body = bulk(team_client, "export", [idea]).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][1] == "'=HYPERLINK(evil) idea title"


def test_bulk_move_reports_each_move_the_pipeline_refuses_and_moves_the_rest(team_client, ideas):
    Idea.objects.filter(pk=ideas[1].pk).update(stage=Stage.objects.get(slug="shipped"))
    Idea.objects.filter(pk=ideas[2].pk).update(stage=Stage.objects.get(slug="declined"))
    planned = Stage.objects.get(slug="planned")
    response = bulk(team_client, "move", ideas, {"stage": planned.pk, "note": "Next quarter."})
    assert response.status_code == 302
    assert list(Idea.objects.filter(stage=planned).values_list("pk", flat=True)) == [ideas[0].pk]
    assert IdeaStageChange.objects.count() == 1
    messages = [unescape(m) for m in shown(response)]  # HTML in the admin
    assert "1 idea moved to “Planned”." in messages
    assert (
        "Not moved: “Bulk idea number 1”. Ideas in “Shipped” can't move to “Planned”. "
        "Allowed next: “In progress”."
    ) in messages
    assert (
        "Not moved: “Bulk idea number 2”. Ideas in “Declined” can't move to “Planned”. "
        "Allowed next: “Under review”."
    ) in messages
