"""Scheduled publishing: an approved revision with a go-live time is published by the
`publish_scheduled_pages` task (Celery beat, every minute) once that time has come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import ArticlePage
from cms.tasks import publish_scheduled_pages
from tests.cms.factories import make_article

pytestmark = pytest.mark.django_db


def schedule(article, go_live_at):
    """Publish a revision for later, as the editor's "Schedule" does."""
    article.go_live_at = go_live_at
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def time_passes(article, go_live_at):
    """The scheduled moment is now `go_live_at`, as if the clock had moved on."""
    revision = article.latest_revision
    revision.content["go_live_at"] = go_live_at.isoformat()
    revision.approved_go_live_at = go_live_at
    revision.save(update_fields=["content", "approved_go_live_at"])
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=go_live_at)


def test_an_article_due_in_the_past_goes_live_when_the_task_runs(client):
    article = schedule(
        make_article(title="Due news", publish=False), timezone.now() + timedelta(hours=1)
    )
    assert not article.live and article.has_unpublished_changes
    time_passes(article, timezone.now() - timedelta(minutes=1))

    publish_scheduled_pages.delay()

    article.refresh_from_db()
    assert article.live and article.first_published_at is not None
    assert "Due news" in client.get("/news/").content.decode()


def test_an_article_due_in_the_future_stays_offline_when_the_task_runs(client):
    article = schedule(
        make_article(title="Future news", slug="future-news", publish=False),
        timezone.now() + timedelta(days=1),
    )

    publish_scheduled_pages.delay()

    article.refresh_from_db()
    assert not article.live
    assert "Future news" not in client.get("/news/").content.decode()
    assert client.get("/news/future-news/").status_code == 404
