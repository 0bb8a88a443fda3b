"""Who reaches the triage admin, role by role. Only the product team (and superusers) see the
ideas, the board and the workspace, and only they can move, merge, bulk-edit or export."""

import pytest

from ideas.models import Idea, Stage
from tests.factories import IdeaFactory, UserFactory, editor, make_campaign, team_member

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "editor", "team", "superuser"]
TRIAGERS = {"team", "superuser"}


def login(client, role):
    user = {
        "anonymous": lambda: None,
        "member": UserFactory,
        "editor": editor,
        "team": team_member,
        "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
    }[role]()
    if user is not None:
        client.force_login(user)
    return user


def refused(response):
    """Anonymous visitors and members go to the admin login; editors to the admin home with
    “Sorry, you do not have permission”."""
    return response.status_code == 302 and response["Location"].split("?")[0] in {
        "/admin/login/",
        "/admin/",
    }


@pytest.fixture
def ideas():
    campaign = make_campaign()
    return (
        IdeaFactory(campaign=campaign, title="Round up my card payments"),
        IdeaFactory(campaign=campaign, title="Round up my card payments please"),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page",
    ["/admin/ideas/", "/admin/ideas/board/", "workspace", "/admin/snippets/ideas/stage/edit/1/"],
)
def test_triage_pages_open_only_for_the_product_team(client, role, page, ideas):
    login(client, role)
    url = f"/admin/ideas/edit/{ideas[0].pk}/" if page == "workspace" else page
    response = client.get(url)
    if role in TRIAGERS:
        assert response.status_code == 200
        assert "Round up my card payments" in response.content.decode() or "stage" in url
    else:
        assert refused(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_product_team_can_move_an_idea(client, role, ideas):
    login(client, role)
    planned = Stage.objects.get(slug="planned")
    response = client.post(f"/admin/ideas/move/{ideas[0].pk}/", {"stage": planned.pk})
    ideas[0].refresh_from_db()
    assert (ideas[0].stage == planned) == (role in TRIAGERS)
    if role not in TRIAGERS:
        assert refused(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_product_team_can_merge(client, role, ideas):
    login(client, role)
    source, target = ideas
    response = client.post(
        f"/admin/ideas/merge/{source.pk}/",
        {"target": target.pk, "note": "Same request.", "confirm": "1"},
    )
    source.refresh_from_db()
    assert (source.merged_into_id == target.pk) == (role in TRIAGERS)
    if role not in TRIAGERS:
        assert refused(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_product_team_can_bulk_move(client, role, ideas):
    login(client, role)
    review = Stage.objects.get(slug="under-review")
    ids = "&".join(f"id={i.pk}" for i in ideas)
    response = client.post(f"/admin/bulk/ideas/idea/move/?{ids}", {"stage": review.pk})
    moved = Idea.objects.filter(stage=review).count()
    assert moved == (2 if role in TRIAGERS else 0)
    if role not in TRIAGERS:
        assert refused(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_product_team_can_export_csv(client, role, ideas):
    login(client, role)
    response = client.post(f"/admin/bulk/ideas/idea/export/?id={ideas[0].pk}")
    if role in TRIAGERS:
        assert response["Content-Type"].startswith("text/csv")
        assert "Round up my card payments" in response.content.decode()
    else:
        assert refused(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_product_team_can_edit_a_stage(client, role, ideas):
    login(client, role)
    stage = Stage.objects.get(slug="planned")
    response = client.post(
        f"/admin/snippets/ideas/stage/edit/{stage.pk}/",
        {"name": "Planned soon", "slug": "planned", "colour": "#0b5cad", "order": 20},
    )
    stage.refresh_from_db()
    assert (stage.name == "Planned soon") == (role in TRIAGERS)
    if role not in TRIAGERS:
        assert refused(response)


def test_editors_do_not_see_the_ideas_menu_but_the_team_does(client, editor_user, team):
    client.force_login(editor_user)
    menu = client.get("/admin/").content.decode()
    assert '"label": "Ideas"' not in menu and '"label": "Idea board"' not in menu
    client.force_login(team)
    menu = client.get("/admin/").content.decode()
    assert '"label": "Ideas"' in menu and '"label": "Idea board"' in menu


def test_a_staff_user_given_idea_permissions_outside_the_team_still_cannot_triage(client, ideas):
    from django.contrib.auth.models import Permission

    user = editor()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_idea", "change_idea"]))
    client.force_login(user)
    assert refused(client.get("/admin/ideas/"))


def test_the_product_team_group_has_the_triage_and_webhook_permissions():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Product team")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "access_admin",
        "view_idea",
        "change_idea",
        "add_internalnote",
        "view_internalnote",
        "add_stage",
        "change_stage",
        "view_stage",
        "add_webhookendpoint",
        "change_webhookendpoint",
        "delete_webhookendpoint",
        "view_webhookendpoint",
        "view_webhookdelivery",
    } <= codenames
    assert "delete_idea" not in codenames and "delete_stage" not in codenames
