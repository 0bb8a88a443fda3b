"""compose.yaml runs Cocrea from the project's own image: PostgreSQL, Redis, a migration job,
web, workers and exactly one beat (Docker is not available here to run it: its shape is checked)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent


def test_compose_runs_every_process_from_the_project_image():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    for name in ("migrate", "web", "worker", "beat"):
        assert services[name]["build"] == "." and services[name]["image"] == "cocrea:latest"
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert services["beat"]["command"][:4] == ["celery", "-A", "cocrea", "beat"]
    assert "replicas" not in services["beat"].get("deploy", {})  # one beat, never scaled
    assert services["web"]["healthcheck"]["test"][-1].endswith("/health/')")


def test_the_image_serves_gunicorn_as_a_user_with_the_static_files_built():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile and "compilemessages" in dockerfile
    assert "USER cocrea" in dockerfile and "gunicorn cocrea.wsgi" in dockerfile
