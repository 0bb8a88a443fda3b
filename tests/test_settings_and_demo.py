import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import CampaignPage
from ideas.models import Idea
from members.models import User

ROOT = Path(__file__).resolve().parent.parent


def run_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "cocrea.settings.production",
            **env,
        },
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    result = run_check(
        {
            "SECRET_KEY": "",
            "DATABASE_URL": "postgres://x@localhost/x",
            "REDIS_URL": "redis://localhost",
        }
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_check(
        {
            "SECRET_KEY": "k" * 20 + "-production-secret-that-is-long-enough-x9",
            "DATABASE_URL": "postgres://x@localhost/x",
            "REDIS_URL": "redis://localhost:6379/0",
            "ALLOWED_HOSTS": "ideas.example.com",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_complete():
    call_command("seed_demo")
    call_command("seed_demo")
    phases = sorted(c.phase for c in CampaignPage.objects.live().filter(locale__language_code="en"))
    assert phases == ["closed", "open", "upcoming"]
    assert Idea.objects.count() >= 60
    assert Idea.objects.filter(title__contains="ahorro").exists()  # Spanish ideas too
    assert {"member", "team", "editor", "admin"} <= set(
        User.objects.values_list("username", flat=True)
    )
    assert (
        Idea.objects.filter(vote_count__gt=0).exists()
        and Idea.objects.filter(comment_count__gt=0).exists()
    )


@pytest.mark.django_db
def test_seed_demo_large_mode_bulk_inserts(settings):
    call_command("seed_demo", ideas=300, votes=3000)
    campaign = CampaignPage.objects.get(slug="load-test")
    assert campaign.ideas.count() == 300
    assert sum(campaign.ideas.values_list("vote_count", flat=True)) == 3000


def test_seed_demo_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "cocrea.settings.production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_fills_the_roadmap_and_changelog_through_the_pipeline(client):
    from ideas.models import IdeaStageChange

    call_command("seed_demo")
    call_command("seed_demo")
    shipped = Idea.objects.public().filter(stage__slug="shipped")
    assert shipped.filter(stage_changed_at__isnull=False).exclude(response="").count() >= 2
    assert Idea.objects.filter(merged_into__isnull=False).count() == 1
    assert IdeaStageChange.objects.filter(actor__username="team").exists()
    for url in ("/roadmap/", "/changelog/", "/feeds/changelog/"):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_seed_demo_authors_and_voters_follow_their_ideas_and_hear_of_the_moves(
    django_capture_on_commit_callbacks,
):
    from ideas.models import Follow
    from notifications.models import Notification
    from voting.models import Vote

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    call_command("seed_demo", ideas=30, votes=120)
    follows = set(Follow.objects.values_list("idea_id", "member_id"))
    demo_ideas = Idea.objects.exclude(campaign__slug="load-test")
    for idea in demo_ideas.filter(merged_into__isnull=True):
        assert (idea.pk, idea.author_id) in follows, idea.title
    voted = Vote.objects.filter(idea__in=demo_ideas, idea__merged_into__isnull=True)
    assert set(voted.values_list("idea_id", "member_id")) <= follows
    assert not Follow.objects.filter(idea__campaign__slug="load-test").exists()
    # The pipeline's moves reached the demo "member" account, author of a planned idea.
    moved = Idea.objects.get(title="Round up card purchases into a savings pot")
    assert moved.author.username == "member"
    assert Notification.objects.filter(recipient=moved.author, event__idea=moved).exists()
    count = Follow.objects.count()
    call_command("seed_demo")
    assert Follow.objects.count() == count  # idempotent


@pytest.mark.django_db
def test_seed_demo_creates_the_news_index_with_its_workflow_and_a_targeted_article(client):
    from wagtail.models import GroupPagePermission

    from cms.models import ArticleIndexPage, ArticlePage
    from members.models import EDITORS_GROUP
    from segments.membership import audience_changed
    from segments.models import Segment

    call_command("seed_demo")
    call_command("seed_demo")
    audience_changed()  # done after commit in production; the test's transaction never commits
    news = ArticleIndexPage.objects.get(slug="news", locale__language_code="en")
    articles = ArticlePage.objects.child_of(news).live()
    assert articles.count() == 3
    assert news.get_workflow().name == "Article approval"
    assert set(
        GroupPagePermission.objects.filter(page=news, group__name=EDITORS_GROUP).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page", "change_page"}  # editors submit articles; approving publishes
    segment = Segment.objects.get(name="Premium customers in Spain")
    insiders = User.objects.filter(segment_memberships__segment=segment)
    assert insiders.count() == 2
    assert all(m.tier == "premium" and m.country == "ES" for m in insiders)
    assert all(m.has_marketing_consent for m in insiders)
    secret = articles.get(audience=segment)
    assert secret.title not in client.get("/news/").content.decode()
    client.force_login(insiders[0])
    assert secret.title in client.get("/news/").content.decode()
    assert secret.title in client.get("/").content.decode()
