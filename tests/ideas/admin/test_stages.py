"""The stage snippet: colours, translated names, and stages that cannot be deleted."""

import pytest
from django.utils import translation

from ideas.models import Stage
from tests.factories import IdeaFactory
from tests.ideas.admin.helpers import shown

pytestmark = pytest.mark.django_db


def stage_data(**fields):
    return {
        "name": "Needs research",
        "slug": "needs-research",
        "colour": "#336699",
        "order": 15,
        "name_es": "",
        **fields,
    }


def test_the_form_has_a_name_field_per_other_language(team_client):
    html = team_client.get("/admin/snippets/ideas/stage/add/").content.decode()
    assert "Name (Spanish)" in html and 'name="name_es"' in html


def test_creating_a_stage_stores_its_translated_name(team_client):
    response = team_client.post(
        "/admin/snippets/ideas/stage/add/",
        stage_data(name_es="Necesita investigación", needs_note="on", colour="#AABBCC"),
    )
    assert response.status_code == 302
    stage = Stage.objects.get(slug="needs-research")
    assert stage.name_translations == {"es": "Necesita investigación"}
    assert stage.needs_note and stage.colour == "#aabbcc"
    with translation.override("es"):
        assert stage.display_name == "Necesita investigación"
    html = team_client.get(f"/admin/snippets/ideas/stage/edit/{stage.pk}/").content.decode()
    assert 'value="Necesita investigación"' in html


def test_clearing_a_translation_removes_it(team_client):
    stage = Stage.objects.create(
        name="Research", slug="research", name_translations={"es": "Investigación"}
    )
    team_client.post(
        f"/admin/snippets/ideas/stage/edit/{stage.pk}/",
        stage_data(slug="research", name="Research"),
    )
    stage.refresh_from_db()
    assert stage.name_translations == {}


def test_colour_must_be_hex(team_client):
    response = team_client.post("/admin/snippets/ideas/stage/add/", stage_data(colour="blue"))
    assert response.status_code == 200
    assert "Use a colour in the form #rrggbb" in response.content.decode()
    assert not Stage.objects.filter(slug="needs-research").exists()


def test_default_stages_keep_their_slug(team_client):
    planned = Stage.objects.get(slug="planned")
    response = team_client.post(
        f"/admin/snippets/ideas/stage/edit/{planned.pk}/", stage_data(name="Planned", slug="soon")
    )
    assert "cannot change" in response.content.decode()
    assert Stage.objects.filter(slug="planned").exists()


def test_a_stage_with_ideas_cannot_be_deleted_and_says_why(superuser, client):
    client.force_login(superuser)
    stage = Stage.objects.create(name="Parked", slug="parked")
    IdeaFactory(stage=stage)
    response = client.post(f"/admin/snippets/ideas/stage/delete/{stage.pk}/")
    assert response.status_code == 302
    assert "“Parked” still has 1 ideas. Move them to another stage before deleting it." in shown(
        response
    )
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_default_stages_cannot_be_deleted(superuser, client):
    client.force_login(superuser)
    new = Stage.objects.get(slug="new")
    response = client.get(f"/admin/snippets/ideas/stage/delete/{new.pk}/")
    assert "is a default stage and cannot be deleted" in " ".join(shown(response))
    assert Stage.objects.count() == 7


def test_bulk_delete_of_stages_is_refused_too(superuser, client):
    client.force_login(superuser)
    stage = Stage.objects.create(name="Parked", slug="parked")
    IdeaFactory(stage=stage)
    client.post(f"/admin/bulk/ideas/stage/delete/?id={stage.pk}")
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_an_unused_custom_stage_can_be_deleted(superuser, client):
    client.force_login(superuser)
    stage = Stage.objects.create(name="Parked", slug="parked")
    client.post(f"/admin/snippets/ideas/stage/delete/{stage.pk}/")
    assert not Stage.objects.filter(pk=stage.pk).exists()


def test_the_product_team_cannot_delete_stages(team_client):
    stage = Stage.objects.create(name="Parked", slug="parked")
    team_client.post(f"/admin/snippets/ideas/stage/delete/{stage.pk}/")
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_the_stage_list_shows_yes_no_and_a_colour_swatch(team_client):
    html = team_client.get("/admin/snippets/ideas/stage/").content.decode()
    start = html.index('<table class="listing"')
    table = html[start : html.index("</table>", start)]
    assert "True" not in table and "False" not in table
    declined = Stage.objects.get(slug="declined")
    start = table.index(f"/admin/snippets/ideas/stage/edit/{declined.pk}/")
    row = " ".join(table[start : table.index("</tr>", start)].split())
    # Declined: closed, not on the roadmap, needs a note.
    cells = [c.split("</td>")[0] for c in row.split("<td")[1:]]
    words = [("Yes" if "Yes" in c else "No" if "No" in c else None) for c in cells]
    assert words[-3:] == ["Yes", "No", "Yes"]
    assert f"background: {declined.colour};" in row and f"<code>{declined.colour}</code>" in row
    for label in ("Closed", "On roadmap", "Needs a note", "Colour"):
        assert label in table


def test_the_stage_form_edits_where_its_ideas_can_move(team_client):
    declined = Stage.objects.get(slug="declined")
    html = team_client.get(f"/admin/snippets/ideas/stage/edit/{declined.pk}/").content.decode()
    assert 'type="checkbox" name="next_stages"' in html
    assert (
        f'value="{declined.pk}"'
        not in html.split('name="next_stages"', 1)[1].split("</fieldset>")[0]
    )
    review, planned = Stage.objects.get(slug="under-review"), Stage.objects.get(slug="planned")
    response = team_client.post(
        f"/admin/snippets/ideas/stage/edit/{declined.pk}/",
        stage_data(
            name="Declined",
            slug="declined",
            colour=declined.colour,
            is_closed="on",
            needs_note="on",
            next_stages=[review.pk, planned.pk],
        ),
    )
    assert response.status_code == 302
    assert set(declined.next_stages.all()) == {review, planned}


def test_the_role_is_shown_but_not_editable(team_client):
    new = Stage.objects.get(slug="new")
    html = team_client.get(f"/admin/snippets/ideas/stage/edit/{new.pk}/").content.decode()
    assert "Initial" in html and 'name="role"' not in html
    team_client.post(
        f"/admin/snippets/ideas/stage/edit/{new.pk}/",
        stage_data(name="New", slug="new", colour=new.colour, role="shipped"),
    )
    new.refresh_from_db()
    assert new.role == Stage.Role.INITIAL


def test_merged_ideas_move_nowhere_whatever_the_form_posts(team_client):
    merged = Stage.objects.get(slug="merged")
    html = team_client.get(f"/admin/snippets/ideas/stage/edit/{merged.pk}/").content.decode()
    assert "Merged ideas stay merged: they move nowhere." in html
    team_client.post(
        f"/admin/snippets/ideas/stage/edit/{merged.pk}/",
        stage_data(
            name="Merged",
            slug="merged",
            colour=merged.colour,
            is_closed="on",
            needs_note="on",
            next_stages=[Stage.objects.get(slug="planned").pk],
        ),
    )
    assert not merged.next_stages.exists()


def test_the_stage_list_shows_the_roles_and_the_allowed_moves(team_client):
    html = team_client.get("/admin/snippets/ideas/stage/").content.decode()
    shipped = Stage.objects.get(slug="shipped")
    start = html.index(f"/admin/snippets/ideas/stage/edit/{shipped.pk}/")
    row = " ".join(html[start : html.index("</tr>", start)].split())
    assert "Shipped" in row and "In progress" in row
    assert "Role" in html and "Can move to" in html


def test_a_custom_stage_can_be_given_moves_when_it_is_created(team_client):
    planned = Stage.objects.get(slug="planned")
    response = team_client.post(
        "/admin/snippets/ideas/stage/add/", stage_data(next_stages=[planned.pk])
    )
    assert response.status_code == 302
    stage = Stage.objects.get(slug="needs-research")
    assert stage.role == "" and list(stage.next_stages.all()) == [planned]
