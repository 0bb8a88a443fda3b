"""Upgrades keep data: a database built at the previous layout, filled with the demo, is migrated
by this checkout's migrations, and every row is still found, by table and through the models.

The fixture (fixtures/previous_layout.sql.gz and .json) is made by make_fixture.py at the
commit recorded in the JSON, and is never regenerated after models moved. What changes with a
restructuring is the two mappings below:

- RENAMED_TABLES: old table -> new table, for every table a migration renames (AlterModelTable,
  and the automatic many-to-many tables of a model whose table is renamed: e.g.
  "members_segment_include" -> "segments_segment_include"). Tables not listed keep their name.
- MODEL_TABLES: model label by its *current* app -> its table at the previous layout. When
  Segment moves to a `segments` app, "members.Segment": "members_segment" becomes
  "segments.Segment": "members_segment" (the value never changes: it is the old table). Add
  models to it, never remove them.

A moved model keeps its content type, renamed (app_label) by the migration that moves it:
comments, revisions, log entries and permissions point at its id. A new content type next to
a stale old one fails test_models_find_their_rows, test_content_types_are_not_left_stale and
test_permissions_survive.

The tests share one scratch database, `cocrea_upgrade_<hex>`, created on the server of
DATABASES["default"] and dropped afterwards, also on failure; neither pytest's test database
nor any other is touched. The migrations and the model checks run in subprocesses with the test settings.
"""

import gzip
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

pytestmark = pytest.mark.postgres

# Old table -> new table (previous layout -> this checkout).
RENAMED_TABLES: dict[str, str] = {
    "members_segment": "segments_segment",
    "members_segment_include": "segments_segment_include",
    "members_segment_exclude": "segments_segment_exclude",
    "members_segmentmembership": "segments_segmentmembership",
    "members_follow": "ideas_follow",
    "members_notification": "notifications_notification",
    "members_notificationpreference": "notifications_notificationpreference",
    "members_emaildelivery": "notifications_emaildelivery",
}

# Rows a data migration removes on purpose: table -> how many (at most) in the fixture.
REMOVED_ON_PURPOSE: dict[str, int] = {
    # cms 0007_editors_submit_articles: editors lose publish on the news index (issue 10: they
    # submit articles for approval; approving publishes).
    "wagtailcore_grouppagepermission": 1,
}
# Model label (current app) -> its table at the previous layout.
MODEL_TABLES = {
    # members
    "members.User": "members_user",
    "segments.Segment": "members_segment",
    "segments.SegmentMembership": "members_segmentmembership",
    "ideas.Follow": "members_follow",
    "notifications.Notification": "members_notification",
    "notifications.NotificationPreference": "members_notificationpreference",
    "notifications.EmailDelivery": "members_emaildelivery",
    "members.ConsentRecord": "members_consentrecord",
    "members.Interest": "members_interest",
    # ideas, voting, discussion
    "ideas.Stage": "ideas_stage",
    "ideas.Idea": "ideas_idea",
    "ideas.TaggedIdea": "ideas_taggedidea",
    "ideas.IdeaStageChange": "ideas_ideastagechange",
    "ideas.InternalNote": "ideas_internalnote",
    "ideas.Event": "ideas_event",
    "voting.Vote": "voting_vote",
    "django_comments_xtd.XtdComment": "django_comments_xtd_xtdcomment",
    # mailings, integrations
    "mailings.EmailCampaign": "mailings_emailcampaign",
    "mailings.MarketingDelivery": "mailings_marketingdelivery",
    "integrations.WebhookEndpoint": "integrations_webhookendpoint",
    "integrations.WebhookDelivery": "integrations_webhookdelivery",
    # Wagtail pages and site settings
    "wagtailcore.Page": "wagtailcore_page",
    "cms.HomePage": "cms_homepage",
    "cms.StandardPage": "cms_standardpage",
    "cms.ArticleIndexPage": "cms_articleindexpage",
    "cms.ArticlePage": "cms_articlepage",
    "cms.SiteChrome": "cms_sitechrome",
    "cms.SecondEditorApprovalTask": "cms_secondeditorapprovaltask",
    "campaigns.CampaignIndexPage": "campaigns_campaignindexpage",
    "campaigns.CampaignPage": "campaigns_campaignpage",
    "campaigns.Category": "campaigns_category",
    "ideas.RoadmapPage": "ideas_roadmappage",
    "ideas.ChangelogPage": "ideas_changelogpage",
}

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PREVIOUS = json.loads((FIXTURES / "previous_layout.json").read_text())


def _server():
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "localhost",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }


def _subprocess_env(database_url):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="cocrea.settings.test")
    return env


def _run(args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (
        f"{' '.join(args[:2])} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def upgraded():
    """The fixture restored into a new database and migrated by this checkout; yields the live
    row count of every table (by name) and the ORM report (orm_report.py)."""
    server = _server()
    name = f"cocrea_upgrade_{secrets.token_hex(6)}"
    ident = sql.Identifier(name)
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(ident)
        )
    try:
        with gzip.open(FIXTURES / "previous_layout.sql.gz", "rt", encoding="utf-8") as dump:
            script = dump.read()
        with psycopg.connect(dbname=name, **server) as conn:
            conn.execute(script)  # one transaction: the restore is all or nothing

        auth = quote(server["user"], safe="")
        if server["password"]:
            auth += ":" + quote(server["password"], safe="")
        env = _subprocess_env(f"postgres://{auth}@{server['host']}:{server['port']}/{name}")
        migrate_output = _run(["manage.py", "migrate", "--noinput"], env)
        report = json.loads(
            _run(["-m", "tests.upgrade.orm_report", *MODEL_TABLES], env).splitlines()[-1]
        )

        with psycopg.connect(dbname=name, **server) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            counts = {
                table: conn.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()[0]
                for table in tables
            }
        yield {"counts": counts, "report": report, "migrate": migrate_output}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))


def test_the_fixture_is_of_a_previous_layout():
    assert PREVIOUS["commit"] and not PREVIOUS["local_changes"]
    assert PREVIOUS["tables"]["members_notification"] > 0, "the demo is in the fixture"
    unknown = set(RENAMED_TABLES) - set(PREVIOUS["tables"])
    assert not unknown, f"RENAMED_TABLES names tables the fixture does not have: {unknown}"
    unknown = set(MODEL_TABLES.values()) - set(PREVIOUS["tables"])
    assert not unknown, f"MODEL_TABLES names tables the fixture does not have: {unknown}"


def test_every_table_keeps_its_rows(upgraded):
    counts = upgraded["counts"]
    lost = []
    for old, before in sorted(PREVIOUS["tables"].items()):
        new = RENAMED_TABLES.get(old, old)
        label = old if new == old else f"{old} (now {new})"
        if new not in counts:
            lost.append(f"{label}: table is gone ({before} rows)")
        elif counts[new] < before - REMOVED_ON_PURPOSE.get(old, 0):
            lost.append(f"{label}: {counts[new]} rows, had {before}")
    assert not lost, "Rows lost in the upgrade:\n" + "\n".join(lost)


def test_models_find_their_rows(upgraded):
    models = upgraded["report"]["models"]
    tables = PREVIOUS["tables"]
    old_ct = {ct["table"]: ct["id"] for ct in PREVIOUS["content_types"].values() if ct["table"]}
    problems = []
    for label, old_table in MODEL_TABLES.items():
        found = models[label]
        if "error" in found:
            problems.append(f"{label}: {found['error']}")
            continue
        expected_table = RENAMED_TABLES.get(old_table, old_table)
        if found["table"] != expected_table:
            problems.append(
                f"{label}: uses table {found['table']}, but {old_table} is now {expected_table}"
                " (update RENAMED_TABLES or MODEL_TABLES)"
            )
        if found["count"] < tables[old_table]:
            problems.append(f"{label}: {found['count']} rows, {old_table} had {tables[old_table]}")
        if found["content_type"] != old_ct[old_table]:
            problems.append(
                f"{label}: content type {found['content_type']}, was {old_ct[old_table]}: rename"
                " the content type instead of making a new one (comments, revisions, log entries"
                " and permissions point at the old id)"
            )
    assert not problems, "Models that lost rows or their identity:\n" + "\n".join(problems)


def test_content_types_are_not_left_stale(upgraded):
    report = upgraded["report"]
    now = report["content_types"]
    problems = []
    for label, ct in sorted(PREVIOUS["content_types"].items()):
        current = now.get(str(ct["id"]))
        if current is None:
            problems.append(f"{label} (id {ct['id']}): deleted")
        elif not current["live"]:
            problems.append(
                f"{label} (id {ct['id']}): now {current['app_label']}.{current['model']}, which no"
                " model has (a stale duplicate of a moved model?)"
            )
    if report["pages_of_stale_types"]:
        problems.append(f"pages of a stale content type: {report['pages_of_stale_types']}")
    if any(report["page_tree_problems"]):
        problems.append(f"page tree problems: {report['page_tree_problems']}")
    assert not problems, "Content types after the upgrade:\n" + "\n".join(problems)


@pytest.mark.parametrize("kind", ["group_permissions", "user_permissions"])
def test_permissions_survive(upgraded, kind):
    now = upgraded["report"][kind]
    assert PREVIOUS[kind], f"the fixture has {kind}"
    problems = []
    for holder, codenames in sorted(PREVIOUS[kind].items()):
        found = now.get(holder, {"live": [], "stale": []})
        missing = sorted(set(codenames) - set(found["live"]))
        if missing:
            problem = f"{holder}: lost {missing}"
            stale = sorted(set(missing) & set(found["stale"]))
            if stale:
                problem += f" (left on stale content types: {stale})"
            problems.append(problem)
        if len(found["live"]) < len(codenames):
            problems.append(f"{holder}: {len(found['live'])} permissions, had {len(codenames)}")
    assert not problems, f"{kind} after the upgrade:\n" + "\n".join(problems)
