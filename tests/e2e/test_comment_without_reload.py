"""Commenting and liking without a page reload (htmx): the comment appears in its thread, the
count follows, the form is cleared and a confirmation is read out; a like flips in place. With
JavaScript off, the same works through a form POST, a redirect and a message."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, sign_in


def no_reload(page):
    page.evaluate("window.__e2eNoReload = 'still here'")
    navigations = []
    page.on("framenavigated", lambda f: f == page.main_frame and navigations.append(f.url))
    return navigations


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_comment_reply_and_like_without_a_reload(new_context, demo, viewport):
    from tests.factories import UserFactory

    url = demo.idea_url("roundup")  # 2 comments already
    page = new_context(viewport=viewport).new_page()
    sign_in(page, UserFactory(display_name="Lucía"))
    page.goto(url)
    expect(page.locator("#discussion-heading")).to_have_text("2 comments")
    navigations = no_reload(page)

    page.locator("#comment-0").fill("Round up to the next **five** euros, please.")
    page.get_by_role("button", name="Post comment").click()
    status = page.locator("#comment-status-0")
    expect(status).to_contain_text("Your comment is posted.")
    expect(status).to_have_attribute("aria-live", "polite")
    newest = page.locator("#comment-list > .comment").first
    expect(newest).to_contain_text("Round up to the next five euros, please.")
    expect(newest.locator("strong", has_text="five")).to_be_visible()
    expect(newest).to_contain_text("Lucía")
    expect(page.locator("#discussion-heading")).to_have_text("3 comments")
    expect(page.locator("#comment-0")).to_have_value("")

    # A reply goes at the end of its thread.
    thread = page.locator("#comment-list > .comment").nth(1)
    root = thread.get_attribute("id").removeprefix("c")
    thread.locator("summary", has_text="Reply").click()
    page.locator(f"#comment-{root}").fill("Agreed, and a weekly summary too.")
    page.locator(f"#comment-form-{root}").get_by_role("button", name="Reply").click()
    expect(page.locator(f"#comment-status-{root}")).to_contain_text("Your comment is posted.")
    expect(page.locator(f"#replies-{root} > .comment").last).to_contain_text(
        "Agreed, and a weekly summary too."
    )
    expect(page.locator(f"#comment-{root}")).to_have_value("")
    expect(page.locator("#discussion-heading")).to_have_text("4 comments")

    # A like flips in place, with its count.
    liked = page.locator("#comment-list > .comment").last.locator(":scope > .comment__actions")
    like_button = liked.locator(".comment-like button")
    expect(like_button).to_have_attribute("aria-pressed", "false")
    expect(liked.locator(".comment-like__count")).to_have_text("0 likes")
    like_button.click()
    expect(liked.locator(".comment-like button")).to_have_attribute("aria-pressed", "true")
    expect(liked.locator(".comment-like__count")).to_have_text("1 like")
    expect(liked.locator(".comment-like__status")).to_contain_text("you like this comment")

    assert page.evaluate("window.__e2eNoReload") == "still here"
    assert navigations == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # What the page showed is what was stored.
    page.reload()
    expect(page.locator("#discussion-heading")).to_have_text("4 comments")
    expect(
        page.locator("#comment-list > .comment").last.locator(".comment-like button")
    ).to_have_attribute("aria-pressed", "true")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_comment_and_like_without_javascript_reload_with_a_confirmation(new_context, demo):
    from tests.factories import UserFactory

    url = demo.idea_url("lock")  # 1 comment
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, UserFactory())
    page.goto(url)
    assert page.evaluate("typeof window.htmx") == "undefined"
    page.locator("#comment-0").fill("Without JavaScript, still heard.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(re.escape(url) + r"\?c=\d+#discussion$"))
    expect(page.locator(".messages")).to_contain_text("Your comment is posted.")
    expect(page.locator("#discussion-heading")).to_have_text("2 comments")
    expect(page.locator("#comment-list > .comment").first).to_contain_text(
        "Without JavaScript, still heard."
    )

    older = page.locator("#comment-list > .comment").last
    with page.expect_navigation():
        older.locator(".comment-like button").click()
    expect(page.locator(".messages")).to_contain_text("Thanks: you like this comment.")
    older = page.locator("#comment-list > .comment").last
    expect(older.locator(".comment-like button")).to_have_attribute("aria-pressed", "true")
    expect(older.locator(".comment-like__count")).to_have_text("1 like")
