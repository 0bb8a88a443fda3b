"""In a real browser under the Content-Security-Policy: htmx voting, similar-idea suggestions
and the site's scripts run with no CSP violation, and a vote over the limit shows the 429
message in place, next to the button, which stays usable."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def violations(page):
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return found


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_htmx_works_under_the_policy_and_a_throttled_vote_says_so_in_place(page, demo, settings):
    from tests.factories import UserFactory

    settings.THROTTLE_ENABLED = True
    settings.THROTTLE_RATES = {"vote": "2/m/member"}
    refused = violations(page)
    sign_in(page, UserFactory())
    idea = demo.ideas["lock"]  # 2 votes already
    page.goto(demo.idea_url("lock"))
    assert page.evaluate("typeof window.htmx") == "object"
    vote = page.locator(f"#vote-{idea.pk}")
    button = vote.locator(".vote__button")

    button.click()  # 1: vote (htmx swap, no navigation)
    expect(vote.locator(".vote__count")).to_have_text("3")
    vote.locator(".vote__button").click()  # 2: unvote
    expect(vote.locator(".vote__count")).to_have_text("2")
    vote.locator(".vote__button").click()  # 3: over the limit
    alert = vote.locator(".throttled[role=alert]")
    expect(alert).to_contain_text("You're doing that too often.")
    expect(alert).to_have_count(1)
    expect(vote.locator(".vote__button")).to_be_enabled()
    expect(vote.locator(".vote__count")).to_have_text("2")

    # The submit form's similar-idea suggestions (htmx, as you type) still work.
    page.goto(f"{demo.url}submit/")
    page.locator("input[name=title]").fill("Round up payments into savings")
    expect(page.locator("#similar-ideas")).to_contain_text("Round up card payments")
    assert refused == []
