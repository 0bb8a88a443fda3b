import re

import pytest
from django.core import mail

from members.models import User
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new@example.com",
    "username": "newbie",
    "password1": "a-very-good-password-9",
    "password2": "a-very-good-password-9",
    "display_name": "New Bie",
    "accept_code_of_conduct": "on",
}


def test_signup_needs_the_code_of_conduct(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "accept_code_of_conduct": ""})
    assert response.status_code == 200
    assert "accept the code of conduct" in response.content.decode()
    assert not User.objects.exists()


def test_signup_sends_a_verification_link_that_signs_the_member_in(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.display_name == "New Bie" and user.code_of_conduct_accepted_at
    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body
    ).group(1)
    assert client.post(link).status_code == 302
    assert user.emailaddress_set.get().verified
    assert client.get("/").context["user"] == user


def test_unverified_member_cannot_sign_in(client):
    client.post("/accounts/signup/", SIGNUP)
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302 and "confirm-email" in response.url


def test_verified_member_signs_in_and_out(client):
    member = UserFactory()
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": "a-good-test-password-42"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == member
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_password_reset_sends_an_email(client):
    member = UserFactory()
    client.post("/accounts/password/reset/", {"email": member.email})
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body


def test_profile_shows_public_ideas_but_not_pending_ones(client):
    idea = IdeaFactory(title="My public idea about savings")
    IdeaFactory(author=idea.author, status="pending", title="My pending idea about cards")
    html = client.get(f"/members/{idea.author.username}/").content.decode()
    assert "My public idea about savings" in html and "My pending idea" not in html


def test_member_changes_display_name(member_client, member):
    member_client.post("/members/settings/", {"display_name": "María", "language": "es"})
    member.refresh_from_db()
    assert member.display_name == "María"


def test_login_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    UserFactory(email="x@example.com")
    statuses = [
        client.post("/accounts/login/", {"login": "x@example.com", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert (
        429 in statuses
        or "Too many"
        in client.post(
            "/accounts/login/", {"login": "x@example.com", "password": "wrong"}
        ).content.decode()
    )


@pytest.mark.parametrize(
    "role,allowed",
    [("member", False), ("editor", False), ("team", False), ("superuser", True)],
)
def test_only_superusers_reach_the_django_admin(client, role, allowed):
    from tests.factories import editor, team_member

    user = {
        "member": lambda: UserFactory(),
        "editor": lambda: editor(),
        "team": lambda: team_member(),
        "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
    }[role]()
    client.force_login(user)
    response = client.get("/django-admin/")
    assert (response.status_code == 200) is allowed
