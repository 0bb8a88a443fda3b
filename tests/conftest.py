import os
import shutil

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _needs():
    return {
        "postgres": (settings.USING_POSTGRES, "needs PostgreSQL: set DATABASE_URL"),
        "redis": (
            bool(os.environ.get("REDIS_URL")),
            "needs Redis and a Celery worker: set REDIS_URL",
        ),
        "e2e": (
            bool(shutil.which("chromium") or os.path.exists("/usr/bin/chromium")),
            "needs /usr/bin/chromium",
        ),
    }


def pytest_addoption(parser):
    parser.addoption(
        "--page-cache",
        action="store_true",
        help="run every test with the anonymous page cache on (cms.pagecache), e.g. the leak "
        "tests: tests/audience tests/security",
    )


def pytest_configure(config):
    missing = [reason for ok, reason in _needs().values() if not ok]
    if IN_CI and missing:
        raise pytest.UsageError("CI must run every test, but: " + "; ".join(missing))


def pytest_collection_modifyitems(config, items):
    needs = _needs()
    for item in items:
        for marker, (ok, reason) in needs.items():
            if marker in item.keywords and not ok:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the default language: a request to a Spanish page activates Spanish
    for the thread, which must not reach the next test (URL prefixes, messages)."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (audience answers, site settings, rate limits):
    rolled-back rows must not live on in it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _page_cache(request, monkeypatch):
    """With `--page-cache`, anonymous pages come from the cache as in production, and every
    GET of a test client without a session is made twice: the test reads the second answer,
    from the cache whenever the first was stored."""
    if not request.config.getoption("--page-cache"):
        yield
        return
    from django.test import Client, override_settings

    made = Client.request

    def twice(client, **asked):
        if asked.get("REQUEST_METHOD") == "GET" and (
            settings.SESSION_COOKIE_NAME not in client.cookies
        ):
            made(client, **asked)
        return made(client, **asked)

    monkeypatch.setattr(Client, "request", twice)
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield


def pytest_terminal_summary(terminalreporter, config):
    if config.getoption("--page-cache"):
        from cms.pagecache import stats

        terminalreporter.write_line(
            "page cache: {hit} pages served from the cache, {miss} made, {stored} stored".format(
                **stats
            )
        )


@pytest.fixture
def campaign(db):
    from tests.factories import make_campaign

    return make_campaign()


@pytest.fixture
def member(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def redis_url():
    return os.environ["REDIS_URL"]
