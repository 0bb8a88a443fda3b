"""axe-core finds no serious or critical violation on the admin pages of journeys 4–6: the
idea pipeline, an idea's workspace, the board, a new segment, a new mailing and the community
dashboard, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, sign_in
from tests.e2e.test_accessibility import blocking_violations, describe

ADMIN_PAGES = {
    "pipeline": lambda demo: f"/admin/ideas/?campaign={demo.campaign.pk}",
    "workspace": lambda demo: f"/admin/ideas/edit/{demo.ideas['roundup'].pk}/",
    "board": lambda demo: f"/admin/ideas/board/?campaign={demo.campaign.pk}",
    "segment-add": lambda demo: "/admin/snippets/segments/segment/add/",
    "dashboard": lambda demo: "/admin/insights/",
}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_no_serious_accessibility_violations_in_the_admin(new_context, demo, name, viewport):
    from tests.factories import UserFactory

    page = new_context(viewport=viewport).new_page()
    sign_in(page, UserFactory(is_staff=True, is_superuser=True))
    url = ADMIN_PAGES[name](demo)
    page.goto(url)
    expect(page.locator("main")).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, f"{name} ({url}, {viewport['width']}px):\n{describe(violations)}"
