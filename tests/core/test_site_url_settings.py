"""SITE_URL comes from the environment, BASE_URL is still read as its older name, and `make
run` sets it from its PORT."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRINT = (
    "from django.conf import settings;"
    "print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL, settings.BASE_URL)"
)


def settings_with(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "BASE_URL")}
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{PRINT}"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "cocrea.settings.dev", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_site_url_drives_wagtail_and_base_url_is_an_alias():
    assert settings_with(SITE_URL="http://127.0.0.1:8110/") == ["http://127.0.0.1:8110"] * 3
    assert settings_with(BASE_URL="https://ideas.example.com") == ["https://ideas.example.com"] * 3
    assert settings_with() == ["http://127.0.0.1:8000"] * 3


def test_make_run_sets_site_url_from_its_port():
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "BASE_URL")}
    result = subprocess.run(
        ["make", "-n", "-p", "run", "PORT=8110"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "run: SITE_URL := http://127.0.0.1:8110" in result.stdout
    assert "runserver 127.0.0.1:8110" in result.stdout


def test_migrate_syncs_the_site_records_only_when_site_url_is_given():
    code = "import django;django.setup();from django.conf import settings;print(settings.SITE_SYNC_ON_MIGRATE)"
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "BASE_URL")}

    def sync(**env):
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**base, "DJANGO_SETTINGS_MODULE": "cocrea.settings.dev", **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert sync() == "False"
    assert sync(SITE_URL="http://127.0.0.1:8110") == "True"
    assert sync(BASE_URL="https://ideas.example.com") == "True"
    assert sync(SITE_URL="http://127.0.0.1:8110", SITE_SYNC_ON_MIGRATE="false") == "False"
