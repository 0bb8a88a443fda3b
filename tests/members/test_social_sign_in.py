"""Sign-in with Google, Microsoft, GitHub and the brand's OpenID Connect server (docs/sign-in.md):
buttons only for configured providers, each starting the provider's OAuth flow, and a first
social sign-in going through the same sign-up as everyone (the code of conduct, e-mail
verification). The OpenID Connect journey runs against a real provider on 127.0.0.1
(tests/support/fake_oidc.py)."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from cocrea.settings.sign_in import social_providers
from members.models import User
from tests.factories import UserFactory
from tests.support.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeOIDCProvider

pytestmark = pytest.mark.django_db

ENV = {
    "GOOGLE_CLIENT_ID": "google-id",
    "GOOGLE_CLIENT_SECRET": "google-secret",
    "MICROSOFT_CLIENT_ID": "ms-id",
    "MICROSOFT_CLIENT_SECRET": "ms-secret",
    "GITHUB_CLIENT_ID": "gh-id",
    "GITHUB_CLIENT_SECRET": "gh-secret",
}


def configure(settings, environ):
    settings.SOCIALACCOUNT_PROVIDERS, _origins = social_providers(environ)


def buttons(html):
    """{provider id: the URL its button posts to}."""
    found = re.findall(
        r'<form method="post" action="([^"]+)" class="social-sign-in__form">.*?'
        r'data-provider="([^"]+)"',
        html,
        flags=re.S,
    )
    return {provider: unescape(action) for action, provider in found}


def test_no_provider_configured_shows_no_social_buttons(client, settings):
    configure(settings, {})
    for url in ("/accounts/login/", "/accounts/signup/"):
        html = client.get(url).content.decode()
        assert "social-sign-in" not in html
        assert "Continue with" not in html


def test_a_provider_needs_both_its_client_id_and_secret():
    providers, origins = social_providers({"GOOGLE_CLIENT_ID": "only-the-id"})
    assert providers == {} and origins == []


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_configured_providers_show_a_button_each_on_sign_in_and_sign_up(client, settings, url):
    configure(settings, {"GOOGLE_CLIENT_ID": "g", "GOOGLE_CLIENT_SECRET": "s"})
    html = client.get(url).content.decode()
    assert buttons(html) == {"google": "/accounts/google/login/?process=login&next=%2F"}
    assert "Continue with Google" in html


def test_a_provider_added_in_the_admin_shows_its_button_too(client, settings):
    from allauth.socialaccount.models import SocialApp
    from django.contrib.sites.models import Site

    configure(settings, {})
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="partner",
        name="Partner SSO",
        client_id="p",
        secret="s",
        settings={"server_url": "https://id.partner.example"},
    )
    app.sites.add(Site.objects.get_current())
    html = client.get("/accounts/login/").content.decode()
    assert set(buttons(html)) == {"partner"} and "Continue with Partner SSO" in html


def test_the_buttons_keep_where_the_member_was_going(client, settings):
    configure(settings, ENV)
    html = client.get("/accounts/login/?next=/campaigns/savings/").content.decode()
    assert set(buttons(html)) == {"google", "microsoft", "github"}
    assert all("next=%2Fcampaigns%2Fsavings%2F" in url for url in buttons(html).values())


def test_spanish_sign_in_page_says_continue_in_spanish(client, settings):
    configure(settings, {"GITHUB_CLIENT_ID": "g", "GITHUB_CLIENT_SECRET": "s"})
    html = client.get("/es/accounts/login/").content.decode()
    assert "Continuar con GitHub" in html


@pytest.mark.parametrize(
    ("provider", "authorize_url", "client_id"),
    [
        ("google", "https://accounts.google.com/o/oauth2/v2/auth", "google-id"),
        (
            "microsoft",
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
            "ms-id",
        ),
        ("github", "https://github.com/login/oauth/authorize", "gh-id"),
    ],
)
def test_a_button_starts_the_providers_oauth_flow_with_our_callback(
    client, settings, provider, authorize_url, client_id
):
    configure(settings, ENV)
    action = buttons(client.get("/accounts/login/").content.decode())[provider]
    response = client.post(action)
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == authorize_url
    query = parse_qs(target.query)
    assert query["client_id"] == [client_id]
    assert query["redirect_uri"] == [f"http://testserver/accounts/{provider}/login/callback/"]
    assert query["response_type"] == ["code"] and query["state"]


def test_the_callback_address_is_the_same_from_the_spanish_site(client, settings):
    configure(settings, ENV)
    action = buttons(client.get("/es/accounts/login/").content.decode())["google"]
    query = parse_qs(urlsplit(client.post(action).url).query)
    assert query["redirect_uri"] == ["http://testserver/accounts/google/login/callback/"]


def test_the_content_security_policy_lets_the_buttons_reach_configured_providers():
    _providers, origins = social_providers(
        {
            **ENV,
            "OIDC_CLIENT_ID": "i",
            "OIDC_CLIENT_SECRET": "s",
            "OIDC_SERVER_URL": "https://id.brand.example/realms/x",
        }
    )
    assert origins == [
        "https://accounts.google.com",
        "https://login.microsoftonline.com",
        "https://github.com",
        "https://id.brand.example",
    ]


# OpenID Connect, end to end ---------------------------------------------------------------


@pytest.fixture
def oidc(settings):
    with FakeOIDCProvider() as provider:
        configure(
            settings,
            {
                "OIDC_PROVIDER_ID": "brand",
                "OIDC_NAME": "Brand SSO",
                "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_SERVER_URL": provider.url,
            },
        )
        yield provider


def sign_in_at_provider(client, provider, next_url="", prefix=""):
    """Press the button, sign in at the provider, come back: the response of our callback."""
    page = client.get(f"{prefix}/accounts/login/{'?next=' + next_url if next_url else ''}")
    action = buttons(page.content.decode())["brand"]
    started = client.post(action)
    assert started.status_code == 302 and started.url.startswith(f"{provider.url}/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(started.url).query).items()}
    assert query["redirect_uri"] == "http://testserver/accounts/oidc/brand/login/callback/"
    code = provider.authorize(query)
    return client.get(
        "/accounts/oidc/brand/login/callback/", {"code": code, "state": query["state"]}
    )


def test_first_oidc_sign_in_asks_the_sign_up_questions_then_signs_the_new_member_in(client, oidc):
    back = sign_in_at_provider(client, oidc, next_url="/search/")
    assert back.status_code == 302 and back.url == "/accounts/3rdparty/signup/"
    form = client.get(back.url)
    html = form.content.decode()
    assert "ana@brand.example" in html and "Ana Brand" in html
    assert "accept_code_of_conduct" in html and 'name="website"' not in html

    refused = client.post(back.url, {"email": "ana@brand.example", "username": "ana"})
    assert refused.status_code == 200 and not User.objects.exists()

    done = client.post(
        back.url,
        {
            "email": "ana@brand.example",
            "username": "ana",
            "display_name": "Ana Brand",
            "accept_code_of_conduct": "on",
        },
    )
    assert done.status_code == 302 and done.url == "/search/"
    member = User.objects.get(username="ana")
    assert member.code_of_conduct_accepted_at and member.display_name == "Ana Brand"
    assert member.emailaddress_set.get().verified  # the provider vouched for it
    assert SocialAccount.objects.get(user=member, provider="brand").uid == "customer-42"
    assert client.get("/").context["user"] == member
    assert ("POST", "/token") in oidc.requests and ("GET", "/userinfo") in oidc.requests
    assert mail.outbox == []


def test_a_returning_oidc_member_is_signed_in_straight_away(client, oidc):
    member = UserFactory(email="ana@brand.example")
    SocialAccount.objects.create(user=member, provider="brand", uid="customer-42")
    back = sign_in_at_provider(client, oidc)
    assert back.status_code == 302 and back.url == "/"
    assert client.get("/").context["user"] == member


def test_an_address_the_provider_did_not_verify_must_be_confirmed_first(client, oidc):
    oidc.user["email_verified"] = False
    back = sign_in_at_provider(client, oidc)
    done = client.post(
        back.url,
        {"email": "ana@brand.example", "username": "ana", "accept_code_of_conduct": "on"},
    )
    assert done.status_code == 302 and "confirm-email" in done.url
    assert len(mail.outbox) == 1 and "confirm-email" in mail.outbox[0].body
    assert not client.get("/").context["user"].is_authenticated


def test_oidc_sign_in_with_an_address_a_member_has_does_not_sign_into_their_account(client, oidc):
    existing = UserFactory(email="ana@brand.example")
    back = sign_in_at_provider(client, oidc)
    refused = client.post(
        back.url,
        {"email": "ana@brand.example", "username": "ana", "accept_code_of_conduct": "on"},
    )
    # As a normal sign-up with a taken address: "check your e-mail", and the owner of the
    # address is told someone tried (nobody learns whether the address is a member's).
    assert refused.status_code == 302 and "confirm-email" in refused.url
    assert User.objects.get() == existing
    assert not SocialAccount.objects.exists()
    assert not client.get("/").context["user"].is_authenticated
    assert [m.to for m in mail.outbox] == [["ana@brand.example"]]


def test_a_spanish_visitor_signs_up_in_spanish_after_the_provider(client, oidc):
    back = sign_in_at_provider(client, oidc, prefix="/es")
    assert back.status_code == 302 and back.url == "/es/accounts/3rdparty/signup/"
    html = client.get(back.url).content.decode()
    assert '<html lang="es">' in html and "Acepto el código de conducta" in html
    done = client.post(
        back.url,
        {"email": "ana@brand.example", "username": "ana", "accept_code_of_conduct": "on"},
    )
    assert done.status_code == 302 and done.url == "/es/"
    assert User.objects.get(username="ana").language == "es"


def test_settings_read_providers_from_the_environment_into_the_csp():
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([sorted(s.SOCIALACCOUNT_PROVIDERS), "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cocrea.settings.test", **ENV}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    providers, form_action = json.loads(out.stdout.strip().splitlines()[-1])
    assert providers == ["github", "google", "microsoft"]
    assert form_action == [
        "'self'",
        "https://accounts.google.com",
        "https://login.microsoftonline.com",
        "https://github.com",
    ]


def test_a_suspended_member_signs_in_with_their_provider_but_still_cannot_post(client, oidc):
    from core.exceptions import NotAllowed
    from members.models import Suspension
    from members.permissions import refuse_if_suspended

    member = UserFactory(email="ana@brand.example")
    SocialAccount.objects.create(user=member, provider="brand", uid="customer-42")
    Suspension.objects.create(member=member, until=None, reason="Spam")
    sign_in_at_provider(client, oidc)
    current = client.get("/").context["user"]
    assert current == member
    with pytest.raises(NotAllowed):
        refuse_if_suspended(current)


def test_a_deactivated_member_is_not_signed_in_by_their_provider(client, oidc):
    member = UserFactory(email="ana@brand.example", is_active=False)
    SocialAccount.objects.create(user=member, provider="brand", uid="customer-42")
    back = sign_in_at_provider(client, oidc)
    assert back.status_code == 302 and back.url == "/accounts/inactive/"
    assert not client.get("/").context["user"].is_authenticated
