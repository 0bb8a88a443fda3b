"""Journeys 1–3 in a real browser: browse, sign up, submit an idea, another member votes and
comments."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import confirm_link, sign_in

NEW_TITLE = "Round up my card payments to a savings pot"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_journey(page, new_context, demo, screenshot_dir):
    from ideas.models import Idea
    from tests.factories import UserFactory

    # 1. Browse: home → open campaign → idea list, another order, one category ---------------
    page.goto("/")
    expect(page.get_by_role("heading", name="Open campaigns")).to_be_visible()
    page.screenshot(path=screenshot_dir / "home.png")
    page.get_by_role("link", name=demo.campaign.title).click()
    expect(page).to_have_url(re.compile(re.escape(demo.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.campaign.title)
    cards = page.locator("#idea-list .idea-card")
    expect(cards).to_have_count(4)
    expect(cards.first.locator(".card__title")).to_have_text(demo.ideas["goals"].title)
    page.screenshot(path=screenshot_dir / "campaign.png")

    page.select_option("#id_sort", "top")  # htmx swaps the list and pushes the URL
    expect(page).to_have_url(re.compile(r"[?&]sort=top"))
    expect(cards.first.locator(".card__title")).to_have_text(demo.ideas["roundup"].title)
    expect(cards.first.locator(".vote__count")).to_have_text("4")

    page.select_option("#id_category", "security")
    expect(page).to_have_url(re.compile(r"[?&]category=security"))
    expect(cards).to_have_count(1)
    expect(cards.first.locator(".card__title")).to_have_text(demo.ideas["lock"].title)
    expect(page.locator("#idea-list")).to_contain_text("1 idea")

    # 2. Sign up, verify the e-mail address from the link in the e-mail -----------------------
    page.get_by_role("link", name="Join").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    signup = page.locator("form[action$='/accounts/signup/']")
    signup.locator("[name=email]").fill("lucia@example.com")
    signup.locator("[name=username]").fill("lucia")
    signup.locator("[name=display_name]").fill("Lucía")
    signup.locator("[name=accept_code_of_conduct]").check()
    signup.locator("[name=password1]").fill("saving-is-a-habit-2024")
    signup.locator("[name=password2]").fill("saving-is-a-habit-2024")
    signup.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    assert mail.outbox[0].to == ["lucia@example.com"]
    page.goto(confirm_link(mail.outbox[0]))
    page.locator("main").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator(".site-header")).to_contain_text("Lucía")

    # 3. Submit an idea; a similar idea is suggested while typing the title -------------------
    page.goto(f"{demo.url}submit/")
    expect(page.get_by_role("heading", name="Submit an idea")).to_be_visible()
    page.locator("#id_title").press_sequentially(NEW_TITLE, delay=15)
    suggestion = page.locator("#similar-ideas").get_by_role(
        "link", name=demo.ideas["roundup"].title
    )
    expect(suggestion).to_be_visible()
    page.screenshot(path=screenshot_dir / "submit.png")
    page.locator("#id_description").fill(
        "Round every card payment up to the next euro and put the difference in a savings pot "
        "I choose, with a weekly summary."
    )
    page.select_option("#id_category", label="Savings")
    page.get_by_role("button", name="Submit idea").click()
    expect(page.locator(".messages")).to_contain_text("Your idea is published")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    idea = Idea.objects.get(title=NEW_TITLE)
    assert idea.author.username == "lucia"
    idea_url = f"{demo.url}ideas/{idea.pk}/"
    expect(page).to_have_url(re.compile(re.escape(idea_url) + "$"))
    vote = page.locator(f"#vote-{idea.pk}")
    expect(vote.locator(".vote__count")).to_have_text("0")

    # 4. A second member votes without a page reload and comments -----------------------------
    bruno = UserFactory(display_name="Bruno")
    other = new_context().new_page()
    sign_in(other, bruno)
    other.goto(idea_url)
    other_vote = other.locator(f"#vote-{idea.pk}")
    expect(other_vote.locator(".vote__button")).to_have_attribute("aria-pressed", "false")
    other.evaluate("window.__e2eNoReload = 'still here'")
    navigations = []
    other.on(
        "framenavigated", lambda frame: frame == other.main_frame and navigations.append(frame.url)
    )
    with other.expect_response(lambda r: r.url.endswith(f"/votes/{idea.pk}/")) as vote_response:
        other_vote.locator(".vote__button").click()
    assert vote_response.value.status == 200
    expect(other_vote.locator(".vote__count")).to_have_text("1")
    expect(other_vote.locator(".vote__button")).to_have_attribute("aria-pressed", "true")
    expect(other_vote.locator(".vote__label")).to_contain_text("Voted")
    assert other.evaluate("window.__e2eNoReload") == "still here"
    assert navigations == []

    other.locator("#comment-0").fill("I would switch banks for this. **Weekly** summary please!")
    other.get_by_role("button", name="Post comment").click()  # in place, with htmx
    expect(other.locator("#comment-status-0")).to_contain_text("Your comment is posted.")
    expect(other).to_have_url(re.compile(re.escape(idea_url) + "$"))
    comment = other.locator(".comments .comment").first
    expect(comment).to_contain_text("I would switch banks for this.")
    expect(comment.locator("strong", has_text="Weekly")).to_be_visible()

    # 5. After a reload both counts are right, for both members and on the list ---------------
    other.reload()
    expect(other_vote.locator(".vote__count")).to_have_text("1")
    expect(other_vote.locator(".vote__button")).to_have_attribute("aria-pressed", "true")
    expect(other.locator("#discussion-heading")).to_have_text("1 comment")
    expect(other.locator(".comments .comment")).to_have_count(1)
    other.evaluate("window.scrollTo(0, 0)")
    other.screenshot(path=screenshot_dir / "idea.png")

    page.reload()
    expect(vote.locator(".vote__count")).to_have_text("1")
    expect(vote.locator(".vote__button")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#discussion-heading")).to_have_text("1 comment")
    page.goto(f"{demo.url}?sort=newest")
    card = page.locator(".idea-card").filter(has_text=NEW_TITLE)
    expect(card.locator(".vote__count")).to_have_text("1")
    expect(card).to_contain_text("1 comment")

    idea.refresh_from_db()
    assert (idea.vote_count, idea.comment_count) == (1, 1)
    assert idea.votes.get().member == bruno
