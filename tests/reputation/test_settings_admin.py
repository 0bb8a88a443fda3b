"""The points values and thresholds are a Wagtail site setting superusers edit in the admin."""

import pytest
from wagtail.models import Site

from tests.factories import UserFactory, site_tree, team_member

pytestmark = pytest.mark.django_db


def url():
    site_tree()
    return f"/admin/settings/reputation/reputationsettings/{Site.objects.get(is_default_site=True).pk}/"


def test_superusers_edit_the_points_values(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(url())
    assert response.status_code == 200
    assert b"vote received on your idea" in response.content.lower()


def test_the_product_team_cannot_edit_them(client):
    client.force_login(team_member())
    assert client.get(url()).status_code in (302, 403)
