"""The demo site in both languages: `seed_demo` translates the home page, the campaigns (and
their categories), the roadmap, the changelog and the news into Spanish, once, however often it
runs: on the suite's database (PostgreSQL in CI) and on SQLite, as `make run` uses it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Page

from campaigns.models import CampaignPage, Category
from cms.models import ArticlePage, HomePage
from ideas.models import Idea

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_seed_demo_twice_makes_one_spanish_translation_of_each_page(client):
    call_command("seed_demo")
    call_command("seed_demo")
    for model in (HomePage, CampaignPage, ArticlePage):
        english = model.objects.filter(locale__language_code="en")
        spanish = model.objects.filter(locale__language_code="es")
        assert english.count() == spanish.count() > 0, model
        assert spanish.filter(live=True).count() == spanish.count()
    keys = Page.objects.filter(locale__language_code="es").values_list("translation_key", flat=True)
    assert len(keys) == len(set(keys))
    # The Spanish campaign has its own texts and the English one's ideas and categories.
    campaign = CampaignPage.objects.get(slug="mobile-savings", locale__language_code="en")
    spanish = CampaignPage.objects.get(
        translation_key=campaign.translation_key, locale__language_code="es"
    )
    assert spanish.title == "¿Cómo debería ayudarte a ahorrar nuestra app?"
    assert spanish.specific.categories.count() == 0
    with translation.override("es"):
        assert {c.display_name for c in Category.objects.filter(campaign=campaign)} >= {
            "Presupuesto",
            "Metas de ahorro",
        }
    html = client.get(spanish.url).content.decode()
    idea = Idea.objects.filter(campaign=campaign, status=Idea.Status.PUBLISHED).first()
    assert spanish.title in html and "Metas de ahorro" in html
    assert idea.title in html
    assert "¿Cómo debería ayudarte a ahorrar nuestra app?" in client.get("/es/").content.decode()


def test_seed_demo_twice_on_sqlite_as_make_run_does(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "CI"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }
    for command in (["migrate", "-v0"], ["seed_demo"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    check = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from campaigns.models import CampaignPage;"
            "print(CampaignPage.objects.filter(locale__language_code='es', live=True).count(),"
            " CampaignPage.objects.filter(locale__language_code='en').count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.stdout.split()[-2:] == ["3", "3"], check.stdout + check.stderr[-2000:]
