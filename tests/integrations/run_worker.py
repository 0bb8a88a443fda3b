"""Start a Celery worker for the tests on one queue: `python -m tests.integrations.run_worker
<queue>`. The test settings run tasks eagerly; this worker must queue the tasks it starts
(webhook deliveries, retries with a countdown) through Redis like production does."""

import sys

import django


def main(queue):
    django.setup()
    from cocrea.celery import app

    app.conf.task_always_eager = False
    app.worker_main(["worker", "--pool=solo", "-Q", queue, "-l", "warning"])


if __name__ == "__main__":
    main(sys.argv[1])
