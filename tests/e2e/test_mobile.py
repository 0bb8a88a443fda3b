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
