"""The idea list's filter menu comes from the cache (ideas.admin.listcache): the same for the
whole team, per language and filter values, and renewed when what its choices list changes."""

import re
from pathlib import Path

import pytest
import wagtail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from campaigns.models import Category
from ideas.models import Stage
from tests.factories import IdeaFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db


def filter_menu(client, **params):
    response = client.get("/admin/ideas/", params)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="filters-drilldown"')
    return html[start : html.index("</form>", start)]


def test_the_menu_is_served_from_the_cache_without_querying_its_choices(team_client):
    make_campaign(title="Cached campaign")
    first = filter_menu(team_client)
    with CaptureQueriesContext(connection) as queries:
        second = filter_menu(team_client)
    assert second == first
    assert "Cached campaign" in second
    assert not [q for q in queries if "taggit_tag" in q["sql"]]


def test_new_choices_show_at_once(team_client, team):
    campaign = make_campaign(title="First campaign")
    idea = IdeaFactory(campaign=campaign, title="An idea to tag")
    assert "Second campaign" not in filter_menu(team_client)
    make_campaign(title="Second campaign")
    idea.tags.add("freshly-added-tag")
    Category.objects.create(campaign=campaign, name="Brand new category", slug="brand-new")
    UserFactory(username="newteammate", is_team=True, is_staff=True, display_name="New Mate")
    menu = filter_menu(team_client)
    assert "Second campaign" in menu
    assert "freshly-added-tag" in menu
    assert "Brand new category" in menu
    assert "newteammate" in menu or "New Mate" in menu


def test_renamed_and_removed_choices_go_at_once(team_client):
    campaign = make_campaign(title="Campaign with a tag")
    idea = IdeaFactory(campaign=campaign, title="Tagged idea")
    idea.tags.add("soon-removed-tag")
    planned = Stage.objects.get(slug="planned")
    menu = filter_menu(team_client)
    assert "soon-removed-tag" in menu
    planned.name = "Scheduled for later"
    planned.save()
    idea.tags.remove("soon-removed-tag")
    menu = filter_menu(team_client)
    assert "Scheduled for later" in menu
    assert "soon-removed-tag" not in menu


def test_the_selected_filter_and_the_language_are_part_of_the_key(team_client, team):
    campaign = make_campaign(title="Selected campaign")
    plain = filter_menu(team_client)
    chosen = filter_menu(team_client, campaign=campaign.pk)
    assert f'<option value="{campaign.pk}" selected>' in chosen
    assert f'<option value="{campaign.pk}" selected>' not in plain
    assert "Minimum votes" in plain
    profile = UserProfile.get_for_user(team)
    profile.preferred_language = "es"
    profile.save()
    assert "Mínimo de votos" in filter_menu(team_client)


def normalised(text):
    return re.sub(r"\s+", " ", text).strip()


def test_the_header_template_is_wagtails_but_for_the_filter_menu():
    """ideas/admin/idea_slim_header.html copies Wagtail's search_form block: if Wagtail changes
    it, this fails and the copy must follow."""
    wagtails = (
        Path(wagtail.__file__).parent
        / "admin/templates/wagtailadmin/shared/headers/slim_header.html"
    ).read_text()
    ours = (
        Path(__file__).resolve().parents[3] / "templates/ideas/admin/idea_slim_header.html"
    ).read_text()

    def block(text):
        start = text.index("{% block search_form %}")
        end = text.index("{% endblock %}", text.index('<input hidden disabled type="submit" />'))
        return normalised(text[start:end])

    include = '{% include "wagtailadmin/shared/headers/_filters.html" with filters=filters only %}'
    assert include in block(wagtails)
    assert block(ours) == block(wagtails).replace(include, "{{ filters_html }}")
