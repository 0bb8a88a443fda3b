"""Wagtail's sidebar and shortcuts dialog on the idea list come from the cache
(ideas.admin.sidebarcache): per member and language, never another member's, and renewed at once
when what they show changes (permissions, groups, names, profiles)."""

import json
import re
from pathlib import Path

import pytest
import wagtail
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from ideas.admin.sidebarcache import sidebar_generation
from tests.factories import make_campaign, team_member

pytestmark = pytest.mark.django_db

MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36"


def idea_list(client, **headers):
    response = client.get("/admin/ideas/", headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def sidebar(client):
    html = idea_list(client)
    start = html.index('<script id="wagtail-sidebar-props" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def menu_urls(props):
    return set(re.findall(r'"url": "([^"]+)"', json.dumps(props)))


def menu_user(props):
    return json.dumps(props, ensure_ascii=False)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mail_readers(db):
    group = Group.objects.create(name="Mail readers")
    group.permissions.add(Permission.objects.get(codename="view_emailcampaign"))
    return group


def test_one_members_menu_never_shows_to_another(mail_readers):
    make_campaign(title="A campaign")
    mailings = reverse("mailings_admin:index")
    reader = team_member(display_name="Rita Reader", first_name="Rita")
    reader.groups.add(mail_readers)
    other = team_member(display_name="Otto Other", first_name="Otto")
    reader_client, other_client = signed_in(reader), signed_in(other)

    assert mailings in menu_urls(sidebar(reader_client))
    assert mailings in menu_urls(sidebar(reader_client))  # from the cache
    for _ in range(2):
        props = sidebar(other_client)
        assert mailings not in menu_urls(props)
        assert "Otto" in menu_user(props)
        assert "Rita" not in menu_user(props)
    assert "Rita" in menu_user(sidebar(reader_client))


def test_a_permission_given_or_taken_shows_at_once(mail_readers):
    make_campaign(title="A campaign")
    mailings = reverse("mailings_admin:index")
    member = team_member(first_name="Gina")
    client = signed_in(member)
    assert mailings not in menu_urls(sidebar(client))

    member.groups.add(mail_readers)
    assert mailings in menu_urls(sidebar(client))

    mail_readers.permissions.clear()
    assert mailings not in menu_urls(sidebar(client))

    mail_readers.permissions.add(Permission.objects.get(codename="view_emailcampaign"))
    assert mailings in menu_urls(sidebar(client))

    member.groups.remove(mail_readers)
    assert mailings not in menu_urls(sidebar(client))


def test_a_new_name_shows_at_once(team_client, team):
    make_campaign(title="A campaign")
    team.first_name = "Before"
    team.save()
    assert "Before" in menu_user(sidebar(team_client))
    team.first_name = "Afterwards"
    team.save()
    props = menu_user(sidebar(team_client))
    assert "Afterwards" in props
    assert "Before" not in props


def test_the_language_and_the_platform_are_part_of_the_key(team_client, team):
    make_campaign(title="A campaign")
    english = idea_list(team_client)
    assert "Keyboard shortcuts" in english
    assert "Log out" in english
    mac = idea_list(team_client, user_agent=MAC)
    assert "⌘ + s" in mac
    assert "⌘ + s" not in idea_list(team_client)
    profile = UserProfile.get_for_user(team)
    profile.preferred_language = "es"
    profile.save()
    assert "Alternar menú lateral" in idea_list(team_client)  # the dialog
    assert "Cerrar sesión" in menu_user(sidebar(team_client))


def test_shortcuts_turned_off_show_as_off_at_once(team_client, team):
    make_campaign(title="A campaign")
    warning = "Keyboard shortcuts are currently disabled"
    assert warning not in idea_list(team_client)
    profile = UserProfile.get_for_user(team)
    profile.keyboard_shortcuts = False
    profile.save()
    assert warning in idea_list(team_client)


def test_what_is_cached_holds_no_csrf_token(team_client, team):
    make_campaign(title="A campaign")
    idea_list(team_client)
    page = idea_list(team_client)
    token = re.search(r'"CSRF_TOKEN": "([^"]+)"', page).group(1)
    cached = cache.get(f"ideas:admin:sidebar:{sidebar_generation()}:{team.pk}:en")
    assert cached and "wagtail-sidebar-props" in cached
    assert token not in cached
    assert "csrf" not in cached.lower()


def normalised(text):
    return re.sub(r"\s+", " ", text).strip()


def test_the_furniture_template_is_wagtails_but_for_the_sidebar_and_dialog():
    """ideas/admin/idea_index.html copies Wagtail's furniture block (wagtailadmin/base.html): if
    Wagtail changes it, this fails and the copy must follow."""
    wagtails = (
        Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/base.html"
    ).read_text()
    ours = (
        Path(__file__).resolve().parents[3] / "templates/ideas/admin/idea_index.html"
    ).read_text()

    def block(text):
        start = text.index("{% block furniture %}")
        end = text.index("</main>", start)
        return normalised(text[start:end])

    expected = (
        block(wagtails)
        .replace("{% sidebar_props %}", "{{ sidebar_props_html }}")
        .replace("{% keyboard_shortcuts_dialog %}", "{{ keyboard_shortcuts_html }}")
        .replace(
            "{% block branding_logo %}{% endblock %}",
            "{% block branding_logo %}{{ block.super }}{% endblock %}",
        )
        .replace(
            "{% block content %}{% endblock %}",
            "{% block content %}{{ block.super }}{% endblock %}",
        )
    )
    comment = re.compile(r"\{# Wagtail's \(wagtailadmin/base.html\)[^#]*#\} ")
    assert comment.search(block(ours))
    assert comment.sub("", block(ours)) == expected
