"""A brand's employee signs in with the brand's OpenID Connect server (docs/sign-in.md): the
button on the sign-in page takes Chromium to the provider and back (through our CSP's
`form-action`), the sign-up form asks for the code of conduct, and they land where they were
going, signed in. The provider is a real one on 127.0.0.1 (tests/support/fake_oidc.py)."""

import copy
import re

import pytest
from playwright.sync_api import expect

from cocrea.settings.sign_in import social_providers
from tests.e2e.conftest import DESKTOP, PHONE
from tests.support.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeOIDCProvider


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_sign_up_with_the_brands_single_sign_on(
    new_context, demo, settings, screenshot_dir, viewport
):
    from allauth.socialaccount.models import SocialAccount

    from members.models import User

    with FakeOIDCProvider(sub="emp-9", email="rosa@brand.example", name="Rosa Brand") as idp:
        settings.SOCIALACCOUNT_PROVIDERS, origins = social_providers(
            {
                "OIDC_PROVIDER_ID": "brand",
                "OIDC_NAME": "Brand SSO",
                "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_SERVER_URL": idp.url,
            }
        )
        # What base.py does with a configured provider's origin: without it, Chromium stops the
        # button's redirect to the provider and stays on the sign-in page.
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] += origins
        settings.CONTENT_SECURITY_POLICY = policy

        page = new_context(viewport=viewport).new_page()
        page.goto(f"/accounts/login/?next={demo.campaign.url}")
        button = page.get_by_role("button", name="Continue with Brand SSO")
        expect(button).to_be_visible()
        page.screenshot(path=screenshot_dir / f"sign-in-sso-{viewport['width']}.png")
        button.click()

        # Back from the provider: the sign-up questions, with what the provider said.
        expect(page).to_have_url(re.compile(r"/accounts/3rdparty/signup/$"))
        expect(page.get_by_label("Email")).to_have_value("rosa@brand.example")
        page.get_by_label("Username").fill("rosa")
        page.get_by_label("I accept the code of conduct").check()
        page.get_by_role("button", name=re.compile("sign up", re.I)).click()

        expect(page).to_have_url(re.compile(re.escape(demo.campaign.url) + "$"))
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        member = User.objects.get(username="rosa")
        assert member.code_of_conduct_accepted_at is not None
        assert SocialAccount.objects.get(user=member).uid == "emp-9"
        assert ("GET", "/authorize") in idp.requests
