"""The backup and restore of docs/operations.md, run for real: a site with content is backed up
(pg_dump and its media), restored into a new database and media directory, and the restored
site serves the same campaign and idea, image included."""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.postgres


def _url(name):
    base = os.environ["DATABASE_URL"]
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _recreate(name):
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run(args, **env):
    return subprocess.run(  # noqa: S603
        args,
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cocrea.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def manage(*args, **env):
    result = run([sys.executable, "manage.py", *args], **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_a_backup_restores_into_a_new_database_with_its_media(tmp_path):
    source, target = "cocrea_backup_source", "cocrea_backup_restored"
    for name in (source, target):
        _recreate(name)
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    site = {"DATABASE_URL": _url(source), "MEDIA_ROOT": str(media)}
    manage("migrate", "-v0", **site)
    manage("seed_demo", **site)
    script = (
        "import django; django.setup();"
        "from django.core.files.base import ContentFile; from ideas.models import Idea;"
        "i = Idea.objects.filter(status='published').order_by('pk').first();"
        "i.image.save('backup-proof.png', ContentFile(b'\\x89PNG proof'), save=True);"
        "print(i.pk, i.image.name)"
    )
    result = run([sys.executable, "-c", script], **site)
    assert result.returncode == 0, result.stderr[-2000:]
    idea_pk, image_name = result.stdout.split()[-2:]

    backup = tmp_path / "backup"
    made = run(["scripts/backup.sh", str(backup)], **site)
    assert made.returncode == 0, made.stderr
    assert (backup / "cocrea.dump").stat().st_size > 10_000
    assert "ideas " in (backup / "MANIFEST").read_text()

    restored = {"DATABASE_URL": _url(target), "MEDIA_ROOT": str(restored_media)}
    done = run(["scripts/restore.sh", str(backup)], **restored)
    assert done.returncode == 0, done.stderr
    assert "Restored from" in done.stdout
    assert (restored_media / image_name).read_bytes() == b"\x89PNG proof"
    assert "No migrations to apply" in manage("migrate", **restored)
    check = (
        "import django; django.setup();"
        "from django.test import Client; from ideas.models import Idea;"
        f'i = Idea.objects.get(pk={idea_pk}); c = Client(HTTP_HOST="localhost");'
        "print(c.get(i.get_absolute_url()).status_code, c.get(i.image_url).status_code)"
    )
    served = run([sys.executable, "-c", check], **restored)
    assert served.stdout.split()[-2:] == ["200", "200"], served.stderr[-2000:]

    # A second restore into the now full database is refused, and nothing is touched.
    again = run(["scripts/restore.sh", str(backup)], **restored)
    assert again.returncode == 2 and "not empty" in again.stderr
