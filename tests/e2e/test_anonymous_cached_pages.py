"""A page an anonymous visitor gets from the cache (cms.pagecache) works in a real browser as a
page made for them: its scripts run under the Content-Security-Policy (the nonce is theirs) and
its forms post (the CSRF token is theirs)."""

import re

import pytest
from playwright.sync_api import expect

from cms import pagecache
from tests.e2e.test_csp_and_throttling import violations


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cached_page_runs_its_scripts_and_posts_its_forms(new_context, demo, settings):
    settings.PAGE_CACHE_SECONDS = 60
    first = new_context().new_page()
    first.goto(demo.url)  # made and stored
    hits = pagecache.stats["hit"]

    visitor = new_context().new_page()
    refused = violations(visitor)
    visitor.goto(demo.url)
    assert pagecache.stats["hit"] > hits, "the second visitor should get the cached page"
    expect(visitor.get_by_text("Round up card payments into a savings pot")).to_be_visible()
    assert visitor.evaluate("typeof window.htmx") == "object"

    # The language switcher posts with the visitor's own token (a 403 would stay in English).
    visitor.select_option("#language-select", "es")
    expect(visitor).to_have_url(re.compile(r"/es/"))
    expect(visitor.locator("html")).to_have_attribute("lang", "es")
    assert refused == []
