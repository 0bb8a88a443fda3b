"""The Spanish campaign at /es/: its title, intro, categories and stages in Spanish, the same
ideas as the English campaign, and votes that count for both."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

SPANISH_TITLE = "¿Cómo debería ayudarte a ahorrar nuestra app?"
SPANISH_INTRO = "Ahorrar es más fácil cuando la app se acuerda por ti."


def _translate(demo):
    from wagtail.rich_text import RichText

    from tests.factories import translate

    for category, spanish in zip(
        demo.campaign.category_list, ("Ahorro", "Seguridad", "Pagos"), strict=True
    ):
        category.name_translations = {"es": spanish}
        category.save()
    return translate(
        demo.campaign,
        title=SPANISH_TITLE,
        slug="ahorra-con-la-app",
        summary="Cuéntanos qué te ayudaría a ahorrar.",
        intro=[("paragraph", RichText(f"<p>{SPANISH_INTRO}</p>"))],
    )


def _titles(page):
    return sorted(page.locator(".idea-card .card__title").all_inner_texts())


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_spanish_campaign_is_in_spanish_with_the_same_ideas_and_votes(
    page, demo, screenshot_dir
):
    from tests.factories import UserFactory
    from voting.models import Vote

    spanish = _translate(demo)
    member = UserFactory(display_name="Lucía")
    sign_in(page, member)

    page.goto(demo.url)
    english_titles = _titles(page)
    assert len(english_titles) == len(demo.ideas)

    # From the English page, the language switcher goes to the Spanish campaign.
    with page.expect_navigation():
        page.select_option("#language-select", "es")
    expect(page).to_have_url(re.compile(r"/es/campaigns/ahorra-con-la-app/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(SPANISH_TITLE)
    expect(page.get_by_text(SPANISH_INTRO)).to_be_visible()
    assert _titles(page) == english_titles  # members' ideas, the same in both languages
    cards = page.locator(".idea-card")
    lock_card = cards.filter(has_text=demo.ideas["lock"].title)
    expect(lock_card.locator(".badge", has_text="Seguridad")).to_be_visible()
    expect(lock_card.get_by_text("Security", exact=True)).to_have_count(0)
    expect(cards.first.locator(".badge--stage")).to_contain_text("Nueva")
    # The category filter offers the Spanish names and filters the same ideas.
    page.get_by_label("Categoría").select_option(label="Seguridad")  # htmx: on change
    expect(page.locator(".idea-card")).to_have_count(1)
    expect(page.locator(".idea-card .card__title")).to_have_text(demo.ideas["lock"].title)
    page.screenshot(path=screenshot_dir / "campaign-es-content.png")

    # Voting from the Spanish page counts for the campaign.
    page.goto(spanish.url)
    idea = demo.ideas["split"]  # 1 vote already
    vote = page.locator(f"#vote-{idea.pk}")
    with page.expect_response(re.compile(r"/es/votes/\d+/$")):
        vote.locator(".vote__button").click()
    expect(vote.locator(".vote__count")).to_have_text("2")
    expect(vote.locator(".vote__label")).to_contain_text("Votado")
    assert Vote.objects.filter(member=member, idea=idea, campaign=demo.campaign).exists()
    page.goto(demo.url)
    expect(page.locator(f"#vote-{idea.pk} .vote__count")).to_have_text("2")
    expect(page.locator(f"#vote-{idea.pk} .vote__label")).to_contain_text("Voted")
