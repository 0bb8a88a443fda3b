"""Build the fixture of the previous layout that tests/upgrade/test_upgrade_keeps_data.py upgrades.

It writes, next to this file:

    fixtures/previous_layout.sql.gz   pg_dump (plain SQL, INSERTs) of a demo database
    fixtures/previous_layout.json     the commit, the exact row count of every table, the
                                      content types and every group's permissions

The fixture is the past: regenerate it only at the commit of the layout that upgrades start
from (never after models moved, or it would describe the new layout). From the repository
root, at that commit, with a clean work tree:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocrea_upgrade \\
        .venv/bin/python tests/upgrade/make_fixture.py

Only the server of DATABASE_URL is used: the script (re)creates the scratch database
`cocrea_upgrade_fixture` there (--database to change it), runs `manage.py migrate` and
`manage.py seed_demo` in it, adds the few rows the demo leaves out (EXTRAS below, so that
no model the upgrade test checks is empty), dumps it, counts it and drops it again (--keep
to look at it). It needs pg_dump of the server's major version on PATH.
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DUMP = FIXTURES / "previous_layout.sql.gz"
COUNTS = FIXTURES / "previous_layout.json"

# Rows for the tables the demo leaves empty, written with the previous layout's import paths
# (run once, by `manage.py shell`, right after seed_demo). Prints the content types as JSON.
EXTRAS = """
import json
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cms.demo_content import PREMIUM_SPAIN_SEGMENT
from cms.models import ArticlePage
from ideas.models import Event, Idea, InternalNote
from integrations.models import WebhookDelivery, WebhookEndpoint
from mailings.models import EmailCampaign, MarketingDelivery
from members.models import Interest, User
from notifications.models import NotificationPreference
from segments.models import Segment
from segments.services import segment_refresh

now = timezone.now()
users = {u.username: u for u in User.objects.all()}
interests = [
    Interest.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    for name in ("Mobile app", "Integrations", "Reporting")
]
for n, username in enumerate(["member", "demo01", "demo02", "demo03", "demo04"]):
    users[username].interests.set(interests[: 1 + n % 3])
for username, kind, frequency in [
    ("member", "comment", "immediate"),
    ("member", "stage_changed", "daily"),
    ("demo01", "reply", "none"),
    ("demo02", "merged", "weekly"),
]:
    NotificationPreference.objects.create(member=users[username], kind=kind, frequency=frequency)
beta = Segment.objects.create(name="Beta testers", slug="beta-testers", description="Hand-picked.")
beta.include.set([users["demo03"], users["demo04"], users["demo05"]])
beta.exclude.set([users["demo05"]])
segment_refresh(beta)
premium = Segment.objects.get(slug=PREMIUM_SPAIN_SEGMENT["slug"])
article = ArticlePage.objects.live().order_by("pk").first()
campaign = EmailCampaign.objects.create(
    article=article,
    subject="What's new at Cocrea",
    status="sent",
    created_by=users["editor"],
    started_at=now,
    finished_at=now,
)
campaign.segments.set([premium, beta])
for n, membership in enumerate(premium.memberships.order_by("member_id")):
    MarketingDelivery.objects.create(
        campaign=campaign,
        member_id=membership.member_id,
        status="sent" if n % 2 == 0 else "skipped",
        attempts=1,
        sent_at=now,
    )
EmailCampaign.objects.create(article=article, subject="Draft", created_by=users["editor"])
hook = WebhookEndpoint.objects.create(
    name="Team chat", url="https://hooks.example.com/cocrea", events=["idea.created"]
)
WebhookEndpoint.objects.create(name="CRM", url="https://crm.example.com/in", is_active=False)
for event in Event.objects.order_by("pk")[:5]:
    WebhookDelivery.objects.create(
        endpoint=hook, event=event, status="delivered", attempts=1, response_status=200,
        delivered_at=now,
    )
for idea in Idea.objects.order_by("pk")[:3]:
    InternalNote.objects.create(idea=idea, author=users["team"], body="Checked with support.")
Token.objects.create(user=users["admin"])
users["team"].user_permissions.add(
    Permission.objects.get(content_type__app_label="members", codename="view_segment")
)

content_types = {}
for ct in ContentType.objects.order_by("pk"):
    model = ct.model_class()
    if model is not None:
        content_types[f"{ct.app_label}.{ct.model}"] = {
            "id": ct.pk,
            "table": None if model._meta.proxy else model._meta.db_table,
        }
print("CONTENT_TYPES " + json.dumps(content_types))
"""

# psql-only lines that pg_dump (15.14+, 16.10+, 17.6+) puts around a plain dump with a random
# key; the fixture is executed without psql, and is reproducible without them.
PSQL_RESTRICT = re.compile(r"^\\(un)?restrict [A-Za-z0-9]+\n", re.MULTILINE)


def run(args, env):
    print("+", " ".join(a if "\n" not in a else "EXTRAS" for a in args), flush=True)
    # stderr goes through, so that a failure shows why.
    return subprocess.run(
        args, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cocrea_upgrade_fixture")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument(
        "--allow-dirty", action="store_true", help="Allow local changes outside tests/upgrade."
    )
    options = parser.parse_args()
    if not options.database.startswith("cocrea_upgrade"):
        parser.error("the scratch database is dropped: its name must start with cocrea_upgrade")
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to a PostgreSQL server (its database is not touched)")

    commit = subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=ROOT, text=True).strip()
    dirty = subprocess.run(
        ["git", "diff", "--quiet", "HEAD", "--", ".", ":(exclude)tests/upgrade"], cwd=ROOT
    ).returncode
    if dirty and not options.allow_dirty:
        sys.exit("Local changes outside tests/upgrade: the fixture would not be of " + commit)

    parts = urlsplit(server)
    url = urlunsplit(parts._replace(path="/" + quote(options.database)))
    conninfo = {
        "host": parts.hostname or "localhost",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password,
    }
    name = sql.Identifier(options.database)
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(name))

    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}  # tasks run in-process
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cocrea.settings.dev")
    manage = [sys.executable, "manage.py"]
    try:
        run([*manage, "migrate", "--noinput", "-v", "0"], env)
        run([*manage, "seed_demo"], env)
        out = run([*manage, "shell", "-v", "0", "-c", EXTRAS], env)
        content_types = json.loads(out.split("CONTENT_TYPES ", 1)[1])

        dump_env = dict(env, PGPASSWORD=conninfo["password"] or "")
        dump = run(
            [
                "pg_dump",
                "--no-owner",
                "--no-privileges",
                "--inserts",
                "--rows-per-insert=1000",
                "--host",
                conninfo["host"],
                "--port",
                str(conninfo["port"]),
                "--username",
                conninfo["user"],
                options.database,
            ],
            dump_env,
        )
        dump = PSQL_RESTRICT.sub("", dump)
        if re.search(r"^\\", dump, re.MULTILINE):
            sys.exit("The dump has psql meta-commands: it could not be executed without psql.")

        with psycopg.connect(dbname=options.database, **conninfo) as conn:
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
            group_permissions = {}
            for group, codename in conn.execute(
                "SELECT g.name, p.codename FROM auth_group g"
                " JOIN auth_group_permissions gp ON gp.group_id = g.id"
                " JOIN auth_permission p ON p.id = gp.permission_id ORDER BY 1, 2"
            ):
                group_permissions.setdefault(group, []).append(codename)
            user_permissions = {}
            for username, codename in conn.execute(
                "SELECT u.username, p.codename FROM members_user u"
                " JOIN members_user_user_permissions up ON up.user_id = u.id"
                " JOIN auth_permission p ON p.id = up.permission_id ORDER BY 1, 2"
            ):
                user_permissions.setdefault(username, []).append(codename)
    finally:
        if not options.keep:
            with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))

    FIXTURES.mkdir(exist_ok=True)
    DUMP.write_bytes(gzip.compress(dump.encode(), compresslevel=9, mtime=0))
    fixture = {
        "commit": commit,
        "local_changes": bool(dirty),
        "made_with": "manage.py migrate, manage.py seed_demo, tests/upgrade/make_fixture.py",
        "tables": counts,
        "content_types": content_types,
        "group_permissions": group_permissions,
        "user_permissions": user_permissions,
    }
    COUNTS.write_text(json.dumps(fixture, indent=1, sort_keys=True) + "\n")
    print(f"{DUMP.relative_to(ROOT)}: {DUMP.stat().st_size} bytes, {len(counts)} tables")
    print(f"{COUNTS.relative_to(ROOT)}: {sum(counts.values())} rows")


if __name__ == "__main__":
    main()
