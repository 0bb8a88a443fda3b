"""The brand's app sends a signed-in customer to the feedback board with an identify link
(docs/sign-in.md): they land on the campaign signed in. An expired, replayed or forged link
shows a page that says why, and nobody is signed in."""

import re
import time
import uuid

import jwt
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

SECRET = "the-brand-and-cocrea-share-this-secret"


def mint(secret=SECRET, **claims):
    now = int(time.time())
    payload = {
        "sub": "shop-customer-77",
        "email": "carmen@shop.example",
        "name": "Carmen Ruiz",
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    return jwt.encode(payload, secret, algorithm="HS256")


def identify_url(token, next_url):
    return f"/sso/identify/?token={token}&next={next_url}"


def expect_refused(page, words):
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not sign you in")
    expect(page.get_by_role("alert")).to_contain_text(words)
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_identify_link_signs_the_customer_in_once_and_refuses_bad_links(
    new_context, demo, settings, screenshot_dir, viewport
):
    from members.models import User

    settings.IDENTIFY_SECRET = SECRET
    campaign_path = demo.campaign.url

    # 1. A valid link: signed in, on the campaign the app linked to ---------------------------
    customer = new_context(viewport=viewport).new_page()
    token = mint()
    response = customer.goto(identify_url(token, campaign_path))
    assert response.ok
    expect(customer).to_have_url(re.compile(re.escape(campaign_path) + "$"))
    expect(customer.get_by_role("button", name="Sign out")).to_be_visible()
    expect(customer.get_by_role("link", name="Sign in", exact=True)).to_have_count(0)
    assert User.objects.get(email="carmen@shop.example").display_name == "Carmen Ruiz"
    customer.screenshot(path=screenshot_dir / f"identify-signed-in-{viewport['width']}.png")

    # 2. The same link again, in another browser: refused ------------------------------------
    replay = new_context(viewport=viewport).new_page()
    response = replay.goto(identify_url(token, campaign_path))
    assert response.status == 403
    expect_refused(replay, "already used")

    # 3. An expired link --------------------------------------------------------------------
    past = int(time.time()) - 900
    expired = new_context(viewport=viewport).new_page()
    response = expired.goto(identify_url(mint(iat=past - 60, exp=past), campaign_path))
    assert response.status == 403
    expect_refused(expired, "expired")
    expired.screenshot(path=screenshot_dir / f"identify-expired-{viewport['width']}.png")

    # 4. A link signed with another secret --------------------------------------------------
    forged = new_context(viewport=viewport).new_page()
    response = forged.goto(identify_url(mint("a-forger-guessing-the-secret!!!!"), campaign_path))
    assert response.status == 403
    expect_refused(forged, "signature does not match")

    # Nobody but the first customer was signed in, and only one member exists for them.
    for page in (replay, expired, forged):
        page.goto(campaign_path)
        expect(page.get_by_role("link", name="Sign in", exact=True).first).to_be_visible()
    assert User.objects.filter(email="carmen@shop.example").count() == 1
