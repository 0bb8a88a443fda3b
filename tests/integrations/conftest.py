"""Shared pieces for the API and webhook tests: people by role, an API client, a local HTTP
receiver for webhooks and a real Celery worker."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent

ROLES = ["anonymous", "member", "editor", "product_team", "superuser"]


def make_user(role):
    if role == "anonymous":
        return None
    if role == "member":
        return UserFactory()
    if role == "editor":
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get_or_create(name="Editors")[0])
        return user
    if role == "product_team":
        user = UserFactory(is_staff=True, is_team=True)
        user.groups.add(Group.objects.get_or_create(name="Product team")[0])
        return user
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    raise ValueError(role)


def token_client(user):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def team_member(db):
    return make_user("product_team")


# A local webhook receiver -------------------------------------------------------------------


class Receiver:
    """An HTTP server on 127.0.0.1 (random port) that records what it is sent and answers with
    the next status of `answers` (the last one repeats)."""

    def __init__(self, answers=(200,)):
        self.answers = list(answers)
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append({"headers": dict(self.headers), "body": body})
                    many = len(receiver.answers) > 1
                    answer = receiver.answers.pop(0) if many else receiver.answers[0]
                self.send_response(answer)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if answer < 300 else b"try again")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def json(self, index=-1):
        return json.loads(self.requests[index]["body"])

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.requests) >= count:
                return True
            time.sleep(0.05)
        return False


@pytest.fixture
def receiver():
    made = []

    def start(answers=(200,)):
        server = Receiver(answers)
        server.thread.start()
        made.append(server)
        return server

    yield start
    for server in made:
        server.server.shutdown()
        server.server.server_close()


# A real Celery worker on the real Redis -------------------------------------------------------


@pytest.fixture
def worker(tmp_path, redis_url):
    """A worker process on a queue of its own (so nobody else's worker takes our tasks), on the
    test database. It runs tasks for real (not eagerly) so the tasks it queues itself — webhook
    deliveries and their retries — go through Redis too."""
    from tests.support.worker import Worker, queue_name, sending_to

    queue = queue_name()
    process = Worker(
        queue=queue, broker=redis_url, tmp=tmp_path, env={"WEBHOOK_RETRY_BASE_SECONDS": "0.5"}
    ).start()
    try:
        with sending_to(queue, redis_url):
            yield process
    finally:
        process.stop()
