"""Background work on the real stack: a Celery worker process, the real Redis broker and the
same PostgreSQL database as the test."""

import pytest

from cocrea.celery import app
from ideas.models import Idea
from tests.factories import IdeaFactory
from tests.support.worker import Worker, queue_name, sending_to
from voting.tasks import reconcile_counts

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_repairs_counts_through_redis(tmp_path, redis_url):
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(vote_count=99)
    queue = queue_name()
    worker = Worker(queue=queue, broker=redis_url, tmp=tmp_path).start()
    try:
        with sending_to(queue, redis_url):
            result = reconcile_counts.apply_async(
                args=[idea.campaign_id], queue=app.conf.task_default_queue
            )
            assert result.get(timeout=60) == 1
    finally:
        worker.stop()
    idea.refresh_from_db()
    assert idea.vote_count == 0
