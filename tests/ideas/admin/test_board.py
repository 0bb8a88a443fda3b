"""The board: a column per stage, cards with a keyboard-usable “Move to” form."""

from html import unescape

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
    # Back on the board at the card, which takes the focus (tabindex="-1" + #idea-<pk>).
    assert response.status_code == 302
    assert response["Location"] == f"/admin/ideas/board/?campaign=#idea-{idea.pk}"
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
    assert 'name="note"' in html and f'value="/admin/ideas/board/#idea-{idea.pk}"' in html
    idea.refresh_from_db()
    assert idea.stage.slug == "new"

    response = team_client.post(
        f"/admin/ideas/move/{idea.pk}/",
        {"stage": declined.pk, "note": "Out of scope.", "next": "/admin/ideas/board/"},
    )
    assert response["Location"] == f"/admin/ideas/board/#idea-{idea.pk}"
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


def card_form(html, idea):
    start = html.index(f'id="idea-{idea.pk}"')
    return html[start : html.index("</li>", start)]


def test_move_to_starts_on_an_empty_required_choice(team_client):
    idea = IdeaFactory(title="Card without a preselected stage")
    html = team_client.get("/admin/ideas/board/").content.decode()
    card = card_form(html, idea)
    assert f'<li class="cocrea-card" id="idea-{idea.pk}" tabindex="-1">' in html
    assert f'<select id="move-{idea.pk}" name="stage" required>' in card
    first_option = card[card.index("<option") : card.index("</option>")]
    assert first_option == '<option value="" selected>Choose a stage…'
    # No stage is preselected, in particular not the first one (often “New”, backwards).
    assert card.count(" selected>") == 1


def test_a_move_without_a_stage_says_so_instead_of_failing(team_client):
    idea = IdeaFactory(title="Posted without choosing")
    response = team_client.post(
        f"/admin/ideas/move/{idea.pk}/", {"stage": "", "note": "", "next": "/admin/ideas/board/"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the stage to move the idea to." in html
    # Cancel goes back to the card on the board.
    assert f'href="/admin/ideas/board/#idea-{idea.pk}"' in html
    idea.refresh_from_db()
    assert idea.stage.slug == "new" and not idea.stage_changes.exists()


def test_the_note_disclosure_has_a_visible_marker_and_the_page_focuses_the_card(team_client):
    IdeaFactory()
    html = team_client.get("/admin/ideas/board/").content.decode()
    assert '<summary class="cocrea-card__disclosure">Add a public note</summary>' in html
    assert ".cocrea-card summary::before" in html and "▸" in html and "▾" in html
    assert "card.focus()" in html


def offered(card):
    return [
        option.split(">", 1)[1].split("<", 1)[0].strip()
        for option in card.split("<option")[2:]  # after “Choose a stage…”
    ]


def test_each_card_offers_only_the_moves_the_pipeline_allows(team_client):
    new = IdeaFactory(title="A card in the new column")
    shipped = IdeaFactory(
        title="A card in the shipped column", stage=Stage.objects.get(slug="shipped")
    )
    merged = IdeaFactory(
        title="A card in the merged column", stage=Stage.objects.get(slug="merged")
    )
    html = team_client.get("/admin/ideas/board/").content.decode()
    assert offered(card_form(html, new)) == ["Under review", "Planned", "Declined (needs a note)"]
    assert offered(card_form(html, shipped)) == ["In progress"]
    assert "<select" not in card_form(html, merged)  # merged ideas stay merged


def test_a_move_the_pipeline_refuses_says_why_and_offers_the_allowed_ones(team_client):
    # e.g. a board opened before someone changed the pipeline
    idea = IdeaFactory(title="Shipped, then dragged back", stage=Stage.objects.get(slug="shipped"))
    response = team_client.post(
        f"/admin/ideas/move/{idea.pk}/",
        {"stage": Stage.objects.get(slug="new").pk, "note": "", "next": "/admin/ideas/board/"},
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Ideas in “Shipped” can't move to “New”. Allowed next: “In progress”." in html
    form = html[html.index('name="stage"') : html.index("</select>")]
    assert ">In progress<" in form and ">Shipped<" in form and ">New<" not in form
    idea.refresh_from_db()
    assert idea.stage.slug == "shipped" and not idea.stage_changes.exists()
