"""The board: a column per stage, cards with a keyboard-usable “Move to” form."""

import pytest

from ideas.models import Stage
from tests.factories import IdeaFactory, make_campaign
from tests.ideas.admin.helpers import shown

pytestmark = pytest.mark.django_db


def test_board_has_a_column_per_stage_with_cards(team_client):
    campaign = make_campaign(title="Mobile app")
    IdeaFactory(campaign=campaign, title="Card on the new column", vote_count=7)
    IdeaFactory(
        campaign=campaign, title="Card in planning", stage=Stage.objects.get(slug="planned")
    )
    html = team_client.get("/admin/ideas/board/").content.decode()
    for stage in Stage.objects.all():
        assert f'id="stage-{stage.pk}"' in html and stage.name in html
    assert "Card on the new column" in html and "7 votes" in html and "Mobile app" in html
    assert html.index("Card on the new column") < html.index("Card in planning")
    assert '<label for="move-' in html and 'name="note"' in html


def test_board_filters_by_campaign(team_client):
    one, two = make_campaign(), make_campaign()
    IdeaFactory(campaign=one, title="Idea in the first campaign")
    IdeaFactory(campaign=two, title="Idea in the second campaign")
    html = team_client.get("/admin/ideas/board/", {"campaign": one.pk}).content.decode()
    assert "Idea in the first campaign" in html
    assert "Idea in the second campaign" not in html


def test_moving_a_card_calls_the_service_and_returns_to_the_board(team_client, team):
    idea = IdeaFactory(title="Move me to planned please")
    planned = Stage.objects.get(slug="planned")
    response = team_client.post(
        f"/admin/ideas/move/{idea.pk}/",
        {"stage": planned.pk, "note": "", "next": "/admin/ideas/board/?campaign="},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/ideas/board/?campaign="
    idea.refresh_from_db()
    assert idea.stage == planned
    assert idea.stage_changes.get().actor == team
    assert "“Move me to planned please” is now in “Planned”." in shown(response)


def test_a_stage_that_needs_a_note_asks_for_it_instead_of_failing(team_client):
    idea = IdeaFactory(title="Decline me without a reason")
    declined = Stage.objects.get(slug="declined")
    response = team_client.post(
        f"/admin/ideas/move/{idea.pk}/",
        {"stage": declined.pk, "note": "", "next": "/admin/ideas/board/"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "needs a public note that explains why" in html
    assert 'name="note"' in html and 'value="/admin/ideas/board/"' in html
    idea.refresh_from_db()
    assert idea.stage.slug == "new"

    response = team_client.post(
        f"/admin/ideas/move/{idea.pk}/",
        {"stage": declined.pk, "note": "Out of scope.", "next": "/admin/ideas/board/"},
    )
    assert response["Location"] == "/admin/ideas/board/"
    idea.refresh_from_db()
    assert (idea.stage, idea.response) == (declined, "Out of scope.")


def test_move_ignores_a_next_url_on_another_site(team_client):
    idea = IdeaFactory()
    planned = Stage.objects.get(slug="planned")
    response = team_client.post(
        f"/admin/ideas/move/{idea.pk}/", {"stage": planned.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/admin/ideas/edit/{idea.pk}/"


def test_each_column_shows_the_top_50_and_links_to_the_full_list(team_client):
    campaign = make_campaign()
    for n in range(52):
        IdeaFactory(campaign=campaign, title=f"Crowded idea number {n:02}", vote_count=n)
    html = team_client.get("/admin/ideas/board/").content.decode()
    assert "Crowded idea number 51" in html and "Crowded idea number 02" in html
    assert "Crowded idea number 01" not in html and "Crowded idea number 00" not in html
    new = Stage.objects.get(slug="new")
    assert "see all 52" in html
    assert f"/admin/ideas/?stage={new.pk}&amp;status=published&amp;ordering=-vote_count" in html


def test_editors_get_no_move_forms_nor_the_board(client, editor_user):
    IdeaFactory()
    client.force_login(editor_user)
    assert client.get("/admin/ideas/board/").status_code == 302
