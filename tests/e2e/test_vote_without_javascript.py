"""Voting works without JavaScript: the vote button is a plain form (POST, then redirect back)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_vote_and_unvote_without_javascript(new_context, demo):
    from tests.factories import UserFactory

    idea = demo.ideas["lock"]  # 2 votes already
    url = demo.idea_url("lock")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, UserFactory())
    page.goto(url)
    # The page asks for htmx, but the browser runs none of its scripts.
    assert page.locator("script[src*=htmx]").count() == 1
    assert page.evaluate("typeof window.htmx") == "undefined"
    vote = page.locator(f"#vote-{idea.pk}")
    expect(vote.locator(".vote__count")).to_have_text("2")

    with page.expect_navigation():  # a real form POST and a redirect, not an htmx swap
        vote.locator(".vote__button").click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(vote.locator(".vote__count")).to_have_text("3")
    expect(vote.locator(".vote__button")).to_have_attribute("aria-pressed", "true")
    idea.refresh_from_db()
    assert idea.vote_count == 3

    with page.expect_navigation():
        vote.locator(".vote__button").click()
    expect(vote.locator(".vote__count")).to_have_text("2")
    expect(vote.locator(".vote__button")).to_have_attribute("aria-pressed", "false")

    # From the campaign's list the redirect goes back to the list, filters kept.
    list_url = f"{demo.url}?sort=top"
    page.goto(list_url)
    card_vote = page.locator(f"#vote-{idea.pk}")
    with page.expect_navigation():
        card_vote.locator(".vote__button").click()
    expect(page).to_have_url(re.compile(re.escape(list_url) + "$"))
    expect(card_vote.locator(".vote__count")).to_have_text("3")
    idea.refresh_from_db()
    assert idea.vote_count == 3


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_anonymous_vote_without_javascript_asks_to_sign_in(new_context, demo):
    idea = demo.ideas["lock"]
    page = new_context(java_script_enabled=False).new_page()
    page.goto(demo.idea_url("lock"))
    with page.expect_navigation():
        page.locator(f"#vote-{idea.pk} .vote__button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    idea.refresh_from_db()
    assert idea.vote_count == 2
