"""The identify link (docs/sign-in.md): the brand's app sends its signed-in customer to
/sso/identify/?token=<JWT>&next=<page> and they arrive signed in — once per token, only with
our shared secret, only while the token lives, only to a page of this site."""

import threading
import time
import uuid
from datetime import timedelta

import jwt
import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.exceptions import NotAllowed
from members import identify
from members.models import ExternalIdentity, Suspension, UsedIdentifyToken, User
from members.permissions import refuse_if_suspended
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "a-shared-secret-of-at-least-32-bytes!"


@pytest.fixture(autouse=True)
def identify_on(settings):
    settings.IDENTIFY_SECRET = SECRET
    settings.IDENTIFY_ISSUER = ""
    settings.IDENTIFY_TRUST_EMAIL = False
    settings.IDENTIFY_MAX_AGE_SECONDS = 300
    settings.IDENTIFY_LEEWAY_SECONDS = 30


def mint(secret=SECRET, *, drop=(), algorithm="HS256", **claims):
    now = int(time.time())
    payload = {
        "sub": "cust-1001",
        "email": "lucia@shop.example",
        "name": "Lucía Pérez",
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    for name in drop:
        payload.pop(name)
    return jwt.encode(payload, secret, algorithm=algorithm)


def follow(client, token, next_url="/search/", prefix=""):
    return client.get(f"{prefix}/sso/identify/", {"token": token, "next": next_url})


def signed_in(client):
    return client.get("/search/").context["user"]


def assert_refused(response, client, status, words):
    assert response.status_code == status
    html = response.content.decode()
    assert "We could not sign you in" in html and words in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert not signed_in(client).is_authenticated


def test_the_link_is_off_without_a_shared_secret(client, settings):
    settings.IDENTIFY_SECRET = ""
    assert follow(client, mint()).status_code == 404


def test_a_valid_link_creates_the_member_signs_them_in_and_opens_the_next_page(client):
    response = follow(client, mint(), next_url="/search/?q=savings")
    assert response.status_code == 302 and response.url == "/search/?q=savings"
    member = signed_in(client)
    assert member.is_authenticated
    assert (member.email, member.display_name) == ("lucia@shop.example", "Lucía Pérez")
    assert not member.has_usable_password()
    assert ExternalIdentity.objects.get(member=member).subject == "cust-1001"
    assert not EmailAddress.objects.get(user=member).verified  # not vouched for by default


def test_a_member_created_from_spanish_keeps_spanish_for_e_mails(client):
    follow(client, mint(), next_url="/es/", prefix="/es")
    assert User.objects.get().language == "es"


def test_the_next_link_finds_the_same_member_by_external_id_even_with_a_new_address(client):
    follow(client, mint())
    first = User.objects.get()
    other = Client()
    response = follow(other, mint(email="lucia.perez@shop.example", name="Lucía P."))
    assert response.status_code == 302
    assert signed_in(other) == first and User.objects.count() == 1


def test_an_existing_member_linked_to_the_external_id_is_signed_in(client):
    member = UserFactory(email="old@example.com")
    ExternalIdentity.objects.create(member=member, issuer=identify.issuer(), subject="cust-1001")
    follow(client, mint())
    assert signed_in(client) == member


def test_another_member_signed_in_in_the_browser_is_replaced(client):
    client.force_login(UserFactory())
    follow(client, mint())
    assert signed_in(client).email == "lucia@shop.example"


def test_an_expired_link_is_refused(client):
    past = int(time.time()) - 600
    response = follow(client, mint(iat=past - 60, exp=past))
    assert_refused(response, client, 403, "expired")
    assert not User.objects.exists()


def test_a_link_just_past_its_expiry_is_accepted_within_the_leeway(client):
    now = int(time.time())
    assert follow(client, mint(iat=now - 100, exp=now - 10)).status_code == 302


def test_a_link_used_twice_signs_in_only_once(client):
    token = mint()
    assert follow(client, token).status_code == 302
    again = Client()
    assert_refused(follow(again, token), again, 403, "already used")


def test_a_link_signed_with_another_secret_is_refused(client):
    response = follow(client, mint("somebody-elses-secret-of-32-bytes!!"))
    assert_refused(response, client, 403, "signature does not match")


def test_an_unsigned_link_is_refused(client):
    token = jwt.encode({"sub": "x"}, None, algorithm="none")
    assert_refused(follow(client, token), client, 403, "signature does not match")


def test_a_damaged_link_is_refused(client):
    assert_refused(follow(client, "not-a-token"), client, 400, "damaged")
    assert_refused(follow(client, ""), client, 400, "no token")


@pytest.mark.parametrize("claim", ["sub", "email", "exp", "jti"])
def test_a_link_missing_a_claim_is_refused(client, claim):
    response = follow(client, mint(drop=[claim]))
    assert_refused(response, client, 400, f"it has no “{claim}”")
    assert not UsedIdentifyToken.objects.exists()


def test_a_link_with_an_address_that_is_not_one_is_refused(client):
    assert_refused(follow(client, mint(email="not-an-address")), client, 400, "e-mail")


def test_a_link_that_lives_longer_than_five_minutes_is_refused(client):
    now = int(time.time())
    response = follow(client, mint(iat=now, exp=now + 3600))
    assert_refused(response, client, 400, "links must expire within 5 minutes")


def test_a_link_from_another_issuer_is_refused_when_the_issuer_is_set(client, settings):
    settings.IDENTIFY_ISSUER = "https://shop.example"
    assert_refused(follow(client, mint(iss="https://evil.example")), client, 403, "issued")
    assert follow(client, mint(iss="https://shop.example")).status_code == 302
    assert ExternalIdentity.objects.get().issuer == "https://shop.example"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)", ""],
)
def test_next_only_leads_to_a_page_of_this_site(client, next_url):
    response = follow(client, mint(), next_url=next_url)
    assert response.status_code == 302 and response.url == "/"
    assert signed_in(client).is_authenticated


def test_the_address_of_a_member_is_not_enough_to_sign_in_as_them(client):
    member = UserFactory(email="lucia@shop.example")
    response = follow(client, mint())
    assert_refused(response, client, 409, "already uses the e-mail address")
    assert not ExternalIdentity.objects.exists() and User.objects.get() == member


def test_a_verified_address_signs_in_its_member_when_the_brand_is_trusted(client, settings):
    settings.IDENTIFY_TRUST_EMAIL = True
    member = UserFactory(email="Lucia@Shop.example")
    follow(client, mint())
    assert signed_in(client) == member
    assert ExternalIdentity.objects.get().member == member


def test_an_unverified_address_is_not_matched_even_when_the_brand_is_trusted(client, settings):
    settings.IDENTIFY_TRUST_EMAIL = True
    member = UserFactory(email="lucia@shop.example")
    EmailAddress.objects.filter(user=member).update(verified=False)
    assert_refused(follow(client, mint()), client, 409, "already uses")


def test_a_trusted_brand_creates_members_with_a_verified_address(client, settings):
    settings.IDENTIFY_TRUST_EMAIL = True
    follow(client, mint())
    assert EmailAddress.objects.get(user=signed_in(client)).verified


def test_a_suspended_member_signs_in_but_still_cannot_post(client):
    member = UserFactory()
    ExternalIdentity.objects.create(member=member, issuer=identify.issuer(), subject="cust-1001")
    Suspension.objects.create(member=member, until=None, reason="Spam")
    assert follow(client, mint()).status_code == 302
    current = signed_in(client)
    assert current == member
    with pytest.raises(NotAllowed):
        refuse_if_suspended(current)


def test_a_deactivated_member_is_refused(client):
    member = UserFactory(is_active=False)
    ExternalIdentity.objects.create(member=member, issuer=identify.issuer(), subject="cust-1001")
    assert_refused(follow(client, mint()), client, 403, "closed")


def test_the_error_page_speaks_spanish_at_es(client):
    past = int(time.time()) - 600
    response = follow(client, mint(iat=past - 60, exp=past), prefix="/es")
    assert response.status_code == 403
    assert "No hemos podido iniciar tu sesión" in response.content.decode()


def test_used_tokens_are_forgotten_once_they_would_have_expired(client):
    UsedIdentifyToken.objects.create(
        issuer="identify", jti="old", expires_at=timezone.now() - timedelta(hours=1)
    )
    follow(client, mint())
    assert list(UsedIdentifyToken.objects.values_list("jti", flat=True)) != ["old"]
    assert not UsedIdentifyToken.objects.filter(jti="old").exists()


def test_the_link_is_throttled_per_address(client, settings):
    settings.THROTTLE_ENABLED = True
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "identify": "2/m/ip"}
    assert follow(client, mint()).status_code == 302
    assert follow(Client(), mint()).status_code == 302
    refused = follow(Client(), mint())
    assert refused.status_code == 429 and refused["Retry-After"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_token_used_twice_at_once_signs_in_exactly_once():
    token = mint()
    barrier = threading.Barrier(2)
    results = []

    def use():
        try:
            customer = identify.token_read(token)
            barrier.wait(timeout=10)
            results.append(identify.member_identify(customer=customer))
        except identify.IdentifyRefused as refused:
            results.append(refused)
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    members = [r for r in results if isinstance(r, User)]
    refusals = [r for r in results if isinstance(r, identify.IdentifyRefused)]
    assert len(members) == 1 and len(refusals) == 1
    assert "already used" in refusals[0].message
    assert User.objects.count() == 1 and UsedIdentifyToken.objects.count() == 1


def test_a_short_shared_secret_is_reported_by_the_system_checks(settings):
    from members.checks import identify_secret_check

    settings.IDENTIFY_SECRET = "short"
    assert [w.id for w in identify_secret_check()] == ["members.W001"]
    settings.IDENTIFY_SECRET = SECRET
    assert identify_secret_check() == []


def test_the_python_example_in_the_docs_mints_a_link_that_signs_in(client):
    from pathlib import Path
    from urllib.parse import urlsplit

    docs = (Path(__file__).resolve().parents[2] / "docs" / "sign-in.md").read_text()
    start = docs.index("```python\nimport time\n") + len("```python\n")
    namespace = {"IDENTIFY_SECRET": SECRET}
    exec(docs[start : docs.index("```", start)], namespace)  # noqa: S102 - our own docs

    class Customer:
        id, email, full_name = 314, "docs@shop.example", "Docs Reader"

    link = urlsplit(namespace["cocrea_link"](Customer(), "/search/"))
    response = client.get(f"{link.path}?{link.query}")
    assert response.status_code == 302 and response.url == "/search/"
    assert signed_in(client).email == "docs@shop.example"


def test_the_member_directory_shows_who_the_brand_says_a_member_is(client):
    follow(client, mint())
    member = User.objects.get()
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = admin.get(f"/admin/member_directory/inspect/{member.pk}/").content.decode()
    assert "External identities" in html and "identify: cust-1001" in html
