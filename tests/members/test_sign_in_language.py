"""Signing in (or out) from the Spanish pages, without `next`, lands on the Spanish home page."""

import pytest

from tests.factories import UserFactory, site_tree

pytestmark = pytest.mark.django_db


def test_signing_in_at_es_lands_on_the_spanish_home(client):
    site_tree()
    member = UserFactory(username="lucia")
    member.set_password("a long enough password 42")
    member.save()
    response = client.post(
        "/es/accounts/login/", {"login": member.email, "password": "a long enough password 42"}
    )
    assert response.status_code == 302 and response["Location"] == "/es/"


def test_signing_in_in_english_still_lands_on_the_english_home(client):
    site_tree()
    member = UserFactory(username="lucy")
    member.set_password("a long enough password 42")
    member.save()
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": "a long enough password 42"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
