"""The API is throttled: reads per visitor and per token, writes on top of that; over a rate
the answer is 429 with Retry-After."""

import pytest
from django.conf import settings as django_settings

from tests.factories import IdeaFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_rates(settings):
    settings.THROTTLE_ENABLED = True
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute", "api_write": "2/minute"},
    }


def test_anonymous_reads_are_throttled_per_address(client, campaign):
    statuses = [client.get("/api/v1/ideas/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/ideas/")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_token_reads_are_throttled_per_member(campaign, team_member):
    client = token_client(team_member)
    statuses = [client.get("/api/v1/ideas/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_writes_are_throttled_per_member(campaign, team_member):
    idea = IdeaFactory(campaign=campaign)
    client = token_client(team_member)
    url = f"/api/v1/ideas/{idea.pk}/move/"
    statuses = [client.post(url, {"stage": "nope"}, format="json").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
