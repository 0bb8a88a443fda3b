"""Background work on the real stack: a Celery worker process, the real Redis broker and the
same PostgreSQL database as the test."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from cocrea.celery import app
from ideas.models import Idea
from ideas.tasks import reconcile_counts
from tests.factories import IdeaFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker():
    queue = f"cocrea-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cocrea",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "cocrea.settings.test",
        },
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = os.environ["REDIS_URL"]
    app.conf.result_backend = os.environ["REDIS_URL"]
    try:
        yield process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url = previous
        process.terminate()
        process.wait(timeout=20)


def test_a_real_worker_repairs_counts_through_redis(worker):
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(vote_count=99)
    result = reconcile_counts.apply_async(
        args=[idea.campaign_id], queue=app.conf.task_default_queue
    )
    assert result.get(timeout=60) == 1
    idea.refresh_from_db()
    assert idea.vote_count == 0
