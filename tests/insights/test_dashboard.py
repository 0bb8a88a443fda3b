"""The community dashboard in the Wagtail admin: who may open it, its filters, charts, tables,
CSV/XLSX exports, the panel registry and its query count."""

import csv
import io
from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from insights import panels
from insights.permissions import COMMUNITY_MANAGERS_GROUP
from tests.factories import IdeaFactory, UserFactory, comment_on, editor, make_campaign, team_member
from voting.models import Vote

URL = "/admin/insights/"


def community_manager():
    import_module("insights.migrations.0002_community_managers").create_community_managers(
        __import__("django.apps", fromlist=["apps"]).apps, None
    )
    user = UserFactory(username="cm")
    user.groups.add(Group.objects.get(name=COMMUNITY_MANAGERS_GROUP))
    return user


@pytest.fixture
def manager_client(client, db):
    client.force_login(community_manager())
    return client


def test_the_migration_gives_community_managers_access_to_the_admin(db):
    group = Group.objects.get(name=COMMUNITY_MANAGERS_GROUP)
    assert group.permissions.filter(codename="access_admin").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 302), ("team", 200), ("editor", 302), ("superuser", 200)],
)
def test_community_managers_the_product_team_and_superusers_open_the_dashboard(
    client, db, who, status
):
    # Wagtail answers a refusal inside the admin with a redirect to the admin home and a message
    # (staff), and sends people without admin access to sign in.
    users = {
        "member": UserFactory,
        "team": team_member,
        "editor": editor,
        "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
    }
    if who in users:
        client.force_login(users[who]())
    assert client.get(URL).status_code == status
    assert client.get(URL + "export/members.csv").status_code == status
    if who == "editor":
        assert client.get(URL)["Location"] == "/admin/"


def test_a_community_manager_reads_the_figures_with_charts_and_tables(manager_client, community):
    response = manager_client.get(URL, {"since": "2026-03-02", "until": "2026-03-15"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Community dashboard" in html
    for name in panels.names():
        assert f'id="panel-{name}"' in html
    assert html.count("<svg") >= len(panels.names())
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "Savings app" in html and "2026-W11" in html
    assert "50.0%" in html  # ideas with an official response


def test_filters_by_campaign_and_segment(manager_client, community):
    response = manager_client.get(
        URL, {"campaign": community.b.pk, "segment": community.segment.pk}
    )
    table = response.context["panels"][0]["table"]["rows"]
    figures = {row["kpi"]: row["value"] for row in table}
    assert figures["Ideas"] == 1 and figures["Votes"] == 1 and figures["Comments"] == 1


def test_a_start_after_the_end_is_explained(manager_client, db):
    response = manager_client.get(URL, {"since": "2026-03-15", "until": "2026-03-01"})
    assert "The start date must not be after the end date." in response.content.decode()


def test_the_menu_item_is_shown_to_those_who_may_open_it(manager_client, client, db):
    assert "/admin/insights/" in manager_client.get("/admin/").content.decode()
    client.force_login(team_member())
    assert "/admin/insights/" in client.get("/admin/").content.decode()
    client.force_login(editor())
    assert "/admin/insights/" not in client.get("/admin/").content.decode()


def test_csv_export_neutralises_formulas(manager_client, db):
    campaign = make_campaign(title='=HYPERLINK("http://evil")', slug="evil")
    IdeaFactory(campaign=campaign)
    response = manager_client.get(URL + "export/campaigns.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Campaign", "Participants", "Ideas", "Votes", "Comments"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2] == "1"


def test_xlsx_export_of_every_table(manager_client, community):
    for name in panels.names():
        response = manager_client.get(URL + f"export/{name}.xlsx")
        assert response.status_code == 200, name
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row >= 1, name
    sheet = load_workbook(
        io.BytesIO(manager_client.get(URL + "export/members.xlsx").content)
    ).active
    assert [c.value for c in sheet[1]] == ["Figure", "Value"]
    assert [c.value for c in sheet[2]] == ["Members", 5]  # the four and the manager


def test_an_unknown_table_or_format_is_404(manager_client, db):
    assert manager_client.get(URL + "export/nothing.csv").status_code == 404
    assert manager_client.get(URL + "export/members.pdf").status_code == 404


def test_other_apps_add_panels_through_the_registry(manager_client, db, monkeypatch):
    monkeypatch.setattr(panels, "_panels", dict(panels._panels))

    def moderation(scope):
        return {
            "title": "Moderation",
            "table": {
                "columns": [("kpi", "Figure"), ("value", "Value")],
                "rows": [{"kpi": "Items reviewed", "value": 7}],
            },
        }

    panels.register("moderation", moderation)
    assert 'id="panel-moderation"' in manager_client.get(URL).content.decode()
    rows = manager_client.get(URL + "export/moderation.csv").content.decode().splitlines()
    assert rows == ["Figure,Value", "Items reviewed,7"]


def _grow(community, n):
    campaign = make_campaign()
    for _ in range(n):
        idea = IdeaFactory(campaign=campaign)
        voter = UserFactory()
        Vote.objects.create(idea=idea, member=voter, campaign=campaign)
        comment_on(idea, voter)


def test_the_query_count_does_not_grow_with_the_data(manager_client, community):
    from django.core.cache import cache

    query = {"since": "2026-03-01"}
    manager_client.get(URL, query)  # warm the process's caches (content types)
    # Both counts with nothing in the shared cache: the new rows renew the routing and
    # figure generations, so one count would otherwise be a hit and the other a miss.
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        manager_client.get(URL, query)
    _grow(community, 12)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert manager_client.get(URL, query).status_code == 200
    assert len(large) == len(small)


def test_figures_are_kept_for_the_same_filters_and_language(manager_client, community, settings):
    from django.core.cache import cache

    cache.clear()
    settings.INSIGHTS_CACHE_SECONDS = 60
    manager_client.get(URL, {"campaign": community.a.pk})
    with CaptureQueriesContext(connection) as cached:
        manager_client.get(URL, {"campaign": community.a.pk})
    with CaptureQueriesContext(connection) as other:
        manager_client.get(URL, {"campaign": community.b.pk})
    assert len(cached) < len(other)
    cache.clear()


def cells(html):
    import re

    return re.findall(r"<td[^>]*>(.*?)</td>", html.decode(), re.S)


def test_the_worker_computes_the_first_views_ahead(manager_client, community, settings):
    """`dashboard_warm` (Celery beat) fills the cache for the unfiltered dashboard and each
    campaign's, in both languages: opening them computes nothing, and shows the same figures."""
    from django.core.cache import cache
    from django.utils import translation

    from insights import panels
    from insights.selectors import Scope
    from insights.tasks import dashboard_warm

    settings.INSIGHTS_CACHE_SECONDS = 60
    cache.clear()
    with CaptureQueriesContext(connection) as computing:
        computed = manager_client.get(URL).content
    cache.clear()
    assert dashboard_warm() == 2 * 3 * len(panels.names())  # 2 languages, all + 2 campaigns
    for query in ({}, {"campaign": community.a.pk}, {"campaign": community.b.pk}):
        with CaptureQueriesContext(connection) as reading:
            assert manager_client.get(URL, query).status_code == 200
        assert len(reading) < len(computing) - 10
    assert cells(manager_client.get(URL).content) == cells(computed)
    with translation.override("es"):
        assert cache.get(panels._cache_key("members", Scope())) is not None
    cache.clear()


def test_chart_labels_fit_and_keep_the_whole_name():
    from insights import charts

    long = "How should our mobile app help you save more?"
    svg = charts.bar_chart("c", "Ideas per campaign", [long, "Cards"], [3, 1])
    assert f"<title>{long}</title>How should our mobile a…</text>" in svg
    assert "<title>Cards</title>Cards</text>" in svg
    weeks = charts.line_chart("w", "Per week", ["2026-W29", "2026-W30"], [("Ideas", [1, 2])])
    assert ">W29<" in weeks and ">6-W29<" not in weeks
