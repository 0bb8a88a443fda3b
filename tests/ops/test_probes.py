"""The probes of docs/operations.md: liveness answers without the database, readiness says
whether the database answers and reports the cache without failing on it."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_liveness_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_readiness_checks_the_database(client):
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_not_ready_when_the_database_does_not_answer():
    """A process whose database is down (nothing listens on its port) answers 503."""
    code = (
        "import django; django.setup(); from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/ready/'); print(r.status_code, r.json())"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cocrea.settings.dev",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/cocrea",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split()[0] == "503", result.stderr[-1500:]
    assert "'database': 'unavailable'" in result.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
