"""Security headers: a Content-Security-Policy with a per-request nonce on every public page and
no inline script without it; Referrer-Policy and Permissions-Policy; Wagtail's admin left out
of the strict policy and still working; production settings pass `check --deploy` clean."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import IdeaFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def nonce_of(response):
    directives = policy(response)
    nonces = [v[7:-1] for v in directives["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1, response["Content-Security-Policy"]
    assert f"'nonce-{nonces[0]}'" in directives["style-src"]
    return nonces[0]


def public_pages(campaign):
    idea = IdeaFactory(campaign=campaign)
    return [
        "/",
        campaign.url,
        f"{campaign.url}ideas/{idea.pk}/",
        "/accounts/login/",
        "/search/?q=x",
    ]


def test_public_pages_carry_a_policy_with_a_fresh_nonce(client, campaign):
    seen = set()
    for url in public_pages(campaign):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-eval'" not in directives["script-src"]
        nonce = nonce_of(response)
        assert nonce not in seen
        seen.add(nonce)


def test_no_inline_script_or_handler_runs_without_the_nonce(member_client, campaign):
    for url in public_pages(campaign):
        response = member_client.get(url, follow=True)
        html = response.content.decode()
        nonce = nonce_of(response)
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts, url
        for tag in scripts:
            executable = 'type="application/json"' not in tag
            assert not executable or f'nonce="{nonce}"' in tag, (url, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), url


def test_referrer_and_permissions_policies_are_sent(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_wagtail_admin_is_left_out_of_the_strict_policy_and_works(client, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-1234")
    client.login(username="boss", password="pw-boss-1234")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert "camera=()" in response["Permissions-Policy"]


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cocrea.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "postgres://cocrea:secret@127.0.0.1:5432/cocrea",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "cocrea.example.com",
    }
    env.pop("DEBUG", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output
    assert "System check identified no issues" in output, output
