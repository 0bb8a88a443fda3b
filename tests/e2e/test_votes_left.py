"""Votes left, everywhere: after a vote on one card, every "votes left" of the campaign on the
page shows the same new number (htmx out-of-band), and neither the budget nor a refusal moves
the vote column — at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, sign_in


def boxes(page, selector):
    return [page.locator(selector).nth(i).bounding_box() for i in range(3)]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_votes_left_on_the_page_follows_a_vote(new_context, viewport, screenshot_dir):
    from tests.factories import IdeaFactory, UserFactory, make_campaign

    campaign = make_campaign(title="Budgeted votes", vote_budget=2)
    titles = [
        "Round up card payments into a savings pot",
        "Freeze my card from the lock screen",
        "Split a bill with friends by sending a link",
    ]
    ideas = [IdeaFactory(campaign=campaign, title=title) for title in titles]
    page = new_context(viewport=viewport).new_page()
    sign_in(page, UserFactory())
    page.goto(campaign.url)
    page.evaluate("window.__e2eNoReload = 'still here'")
    budgets = page.locator(f".votes-left--c{campaign.pk}")
    expect(budgets).to_have_count(3)
    for i in range(3):
        expect(budgets.nth(i)).to_have_text("2 votes left")
    columns, bodies = boxes(page, ".idea-card__vote"), boxes(page, ".idea-card__body")

    def vote_on(idea):
        with page.expect_response(lambda r: r.url.endswith(f"/votes/{idea.pk}/")):
            page.locator(f"#vote-{idea.pk} .vote__button").click()

    vote_on(ideas[0])
    expect(page.locator(f"#vote-{ideas[0].pk} .vote__count")).to_have_text("1")
    for i in range(3):
        expect(budgets.nth(i)).to_have_text("1 vote left")
    vote_on(ideas[1])
    for i in range(3):
        expect(budgets.nth(i)).to_have_text("0 votes left")

    # The budget is spent: the third vote is refused, in a toast that moves nothing.
    vote_on(ideas[2])
    error = page.locator(f"#vote-{ideas[2].pk} .vote__error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("You have used all 2 of your votes")
    expect(page.locator(f"#vote-{ideas[2].pk} .vote__button")).to_have_attribute(
        "aria-pressed", "false"
    )
    for i in range(3):  # the refused card's status line keeps the budget, the toast says why
        expect(budgets.nth(i)).to_have_text("0 votes left")
    for before, after in zip(columns, boxes(page, ".idea-card__vote"), strict=True):
        assert after["width"] == before["width"] and after["x"] == before["x"]
        assert abs(after["height"] - before["height"]) < 1
    for before, after in zip(bodies, boxes(page, ".idea-card__body"), strict=True):
        assert after["x"] == before["x"] and after["width"] == before["width"]
    assert page.evaluate("window.__e2eNoReload") == "still here"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=screenshot_dir / f"votes-left-{viewport['width']}.png")

    # Taking a vote back gives it back everywhere.
    vote_on(ideas[0])
    expect(page.locator(f"#vote-{ideas[0].pk} .vote__button")).to_have_attribute(
        "aria-pressed", "false"
    )
    for i in range(3):
        expect(budgets.nth(i)).to_have_text("1 vote left")
