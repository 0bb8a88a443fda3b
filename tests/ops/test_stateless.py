"""A second web process misses nothing: media can live in an S3-compatible bucket, and a CDN or
caching proxy in front of the site is told when a page changes (docs/operations.md)."""

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def settings_with(env):
    """The settings a process started with `env` gets (read in a fresh interpreter)."""
    code = (
        "import json, django; django.setup();"
        "from django.conf import settings; from django.core.files.storage import storages;"
        "default_storage = storages['default'];"
        "print(json.dumps({'storages': settings.STORAGES,"
        " 'storage': type(default_storage).__module__ + '.' + type(default_storage).__name__,"
        " 'url': default_storage.url('ideas/2026/12/photo.png'),"
        " 'frontend': settings.WAGTAILFRONTENDCACHE}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "FRONTEND_"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cocrea.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_media_stays_on_the_local_disk_by_default():
    found = settings_with({})
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["frontend"] == {}


def test_a_bucket_by_configuration_keeps_media_private_behind_signed_urls():
    found = settings_with(
        {
            "AWS_STORAGE_BUCKET_NAME": "cocrea-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
            "AWS_S3_REGION_NAME": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret",
        }
    )
    assert found["storage"] == "storages.backends.s3.S3Storage"
    options = found["storages"]["default"]["OPTIONS"]
    assert options["default_acl"] is None and options["file_overwrite"] is False
    url = found["url"]
    assert url.startswith("https://s3.example.net/cocrea-media/ideas/2026/12/photo.png?")
    assert "X-Amz-Signature=" in url or "Signature=" in url


class Recorder(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 (the HTTP method)
        self.server.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_publishing_a_page_purges_it_from_the_frontend_cache(settings):
    from tests.factories import make_campaign

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.purged = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
            }
        }
        campaign = make_campaign(title="Cards of the future", slug="cards-future")
        campaign.title = "Cards of the future, again"
        campaign.save_revision().publish()
    finally:
        server.shutdown()
    assert any(path.rstrip("/").endswith("/campaigns/cards-future") for path in server.purged)
