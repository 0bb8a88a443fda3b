"""The campaign page on a phone: everything fits the width, votes are reachable."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_campaign_page_fits_a_phone(new_context, demo, screenshot_dir):
    page = new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
    ).new_page()
    page.goto(demo.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.campaign.title)
    expect(page.locator("#idea-list .idea-card")).to_have_count(4)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a {PHONE['width']}px phone"
    page.screenshot(path=screenshot_dir / "campaign-mobile.png")
    button = page.locator(f"#vote-{demo.ideas['roundup'].pk} .vote__button")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box  # WCAG 2.2 target size (minimum)


def scroll_overflow(page):
    """How far the page scrolls sideways. A phone browser widens its layout viewport to fit wide
    content (innerWidth grows past the device width), so both widths are checked."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    return max(scroll_width - inner_width, scroll_width - PHONE["width"])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_roadmap_changelog_and_idea_pages_reflow_on_a_phone(new_context, demo, screenshot_dir):
    """WCAG 1.4.10 Reflow: the roadmap filters (a select holding a long campaign title), its
    columns, the changelog and an idea page fit 390 px without scrolling sideways."""
    from ideas.models import Stage
    from ideas.services import idea_move
    from tests.e2e.test_product_team_journey import pages_for_the_roadmap
    from tests.factories import make_campaign, team_member

    pages_for_the_roadmap()
    team = team_member()
    idea_move(
        idea=demo.ideas["roundup"],
        to_stage=Stage.objects.get(slug="planned"),
        actor=team,
        note="Planned for the spring release.",
    )
    # Planned first: the default pipeline ships planned (or in-progress) ideas.
    idea_move(idea=demo.ideas["lock"], to_stage=Stage.objects.get(slug="planned"), actor=team)
    idea_move(
        idea=demo.ideas["lock"],
        to_stage=Stage.objects.get(slug="shipped"),
        actor=team,
        note="Shipped in version 4.2: hold the card icon on the lock screen.",
    )
    make_campaign(title="Ideas para mejorar la atención al cliente en todas nuestras oficinas")
    page = new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
    ).new_page()
    for url, name in (
        ("/roadmap/", "roadmap"),
        (f"/roadmap/?campaign={demo.campaign.slug}", "roadmap-filtered"),
        ("/changelog/", "changelog"),
        (demo.idea_url("roundup"), "idea"),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = scroll_overflow(page)
        page.screenshot(path=screenshot_dir / f"{name}-mobile.png", full_page=True)
        assert overflow <= 0, (
            f"{url} scrolls sideways by {overflow}px on a {PHONE['width']}px phone"
        )
    page.goto("/roadmap/")
    expect(page.get_by_role("link", name=demo.ideas["roundup"].title)).to_be_visible()
    select = page.get_by_label("Campaign").bounding_box()
    assert select["x"] >= 0 and select["x"] + select["width"] <= PHONE["width"], select
