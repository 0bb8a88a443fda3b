"""The same pages in Spanish, reached with the header's language switcher and under /es/."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_switches_to_spanish_and_votes(page, demo, screenshot_dir):
    from tests.factories import UserFactory

    idea = demo.ideas["split"]  # 1 vote already
    sign_in(page, UserFactory(display_name="Marta"))
    page.goto(demo.idea_url("split"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.select_option("#language-select", "es")  # submits itself (data-autosubmit)
    expect(page).to_have_url(re.compile(r"/es" + re.escape(demo.idea_url("split")) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    header = page.locator(".site-header")
    expect(header.get_by_role("link", name="Campañas")).to_be_visible()
    expect(header.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    expect(page.locator("#language-select")).to_have_value("es")
    vote = page.locator(f"#vote-{idea.pk}")
    expect(vote.locator(".vote__label")).to_contain_text("Votar")
    expect(page.get_by_role("button", name="Publicar comentario")).to_be_visible()

    with page.expect_response(re.compile(r"/es/votes/\d+/$")):
        vote.locator(".vote__button").click()
    expect(vote.locator(".vote__count")).to_have_text("2")
    expect(vote.locator(".vote__label")).to_contain_text("Votado")

    page.goto("/es/")
    expect(page.get_by_role("heading", name="Campañas abiertas")).to_be_visible()
    page.get_by_role("link", name=demo.campaign.title).click()
    expect(page).to_have_url(re.compile(r"/es" + re.escape(demo.url) + "$"))
    expect(page.get_by_label("Ordenar por")).to_be_visible()
    expect(page.get_by_role("link", name="Envía una idea")).to_be_visible()
    page.screenshot(path=screenshot_dir / "campaign-es.png")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_switching_back_to_english(page, demo):
    page.goto(f"/es{demo.url}")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    with page.expect_navigation():  # POST /i18n/setlang/, then the redirect to `next`
        page.select_option("#language-select", "en")
    assert urlsplit(page.url).path == demo.url
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.get_by_label("Sort by")).to_be_visible()
    expect(page.locator(".site-header").get_by_role("link", name="Campaigns")).to_be_visible()
