"""A real Celery worker (and optionally beat) in a subprocess, on the test database, for tests
of background delivery. Each test gets its own queue so nothing else consumes its tasks."""

import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from cocrea.celery import app

ROOT = Path(__file__).resolve().parent.parent.parent


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Worker:
    def __init__(self, *, queue, broker, tmp, env=None, beat=False):
        self.queue, self.broker, self.tmp, self.env, self.beat = queue, broker, tmp, env, beat
        self.process = None

    def start(self):
        args = [sys.executable, "-m", "celery", "-A", "cocrea", "worker", "--pool=solo"]
        args += [
            "-Q",
            self.queue,
            "-l",
            os.environ.get("TEST_WORKER_LOGLEVEL", "warning"),
            "-n",
            f"{self.queue}-{uuid.uuid4().hex[:4]}@%h",
        ]
        if self.beat:
            args += ["-B", "-s", str(self.tmp / f"beat-{uuid.uuid4().hex[:6]}")]
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
                "REDIS_URL": self.broker,
                "CELERY_QUEUE": self.queue,
                "EMAIL_FILE_PATH": str(self.tmp / "mail"),
                "OUTBOX_GRACE_SECONDS": "0",
                "OUTBOX_SWEEP_SECONDS": "1",
                **(self.env or {}),
            },
            start_new_session=True,
        )
        return self

    def kill(self):
        """SIGKILL: no clean shutdown, no acknowledgement, like a crashed machine."""
        os.killpg(self.process.pid, 9)
        self.process.wait(timeout=20)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)


@contextmanager
def sending_to(queue, broker):
    """Make this (test) process publish for real to `broker`/`queue` instead of running tasks
    in-process."""
    saved = {
        key: getattr(app.conf, key)
        for key in ("task_always_eager", "task_default_queue", "broker_url", "result_backend")
    }
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = broker
    app.conf.result_backend = broker
    _reset_pools()
    try:
        yield
    finally:
        for key, value in saved.items():
            setattr(app.conf, key, value)
        _reset_pools()


def _reset_pools():
    """Drop pooled broker connections so the next publish connects to the configured broker.
    kombu keeps pools in a process-wide registry keyed by connection: reset it too, or a closed
    pool would be handed out again for the same URL."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class RedisServer:
    """A private redis-server, so a test can stop and restart "the broker" without touching
    the machine's shared Redis."""

    def __init__(self, tmp):
        self.port = free_port()
        self.tmp = tmp
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _can_connect(self.port), "redis-server to start", timeout=10)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def kill(self):
        """SIGKILL: Redis disappears without closing a connection."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _can_connect(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def queue_name():
    return f"cocrea-test-{uuid.uuid4().hex[:8]}"
