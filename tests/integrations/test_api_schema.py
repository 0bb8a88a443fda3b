"""Real answers of every endpoint, validated against the OpenAPI schema the site serves at
/api/v1/schema/ (openapi-core): the documentation cannot drift from the code."""

import json

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from ideas.models import Stage
from ideas.services import idea_move
from tests.factories import IdeaFactory, UserFactory
from tests.integrations.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return OpenAPI.from_dict(json.loads(response.content))


def validated(openapi, response, request_is_valid=True):
    assert response.status_code < 500, response.content
    if request_is_valid:
        openapi.validate_request(DjangoOpenAPIRequest(response.wsgi_request))
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )
    return response


@pytest.fixture
def data(campaign, team_member):
    """Ideas with every optional field filled somewhere: categories, tags, responses, merges."""
    planned = IdeaFactory(campaign=campaign, category=campaign.categories.first())
    planned.tags.add("mobile")
    idea_move(
        idea=planned, to_stage=Stage.objects.get(slug="planned"), actor=team_member, note="Yes."
    )
    plain = IdeaFactory(campaign=campaign)
    duplicate = IdeaFactory(campaign=campaign)
    from ideas.services import ideas_merge

    ideas_merge(source=duplicate, target=plain, actor=team_member, note="Same.")
    return {"planned": planned, "plain": plain, "duplicate": duplicate, "campaign": campaign}


def test_every_read_matches_the_schema(api, openapi, data):
    campaign = data["campaign"]
    urls = [
        "/api/v1/campaigns/",
        "/api/v1/campaigns/?limit=1&offset=0",
        f"/api/v1/campaigns/{campaign.pk}/",
        "/api/v1/ideas/",
        f"/api/v1/ideas/?campaign={campaign.slug}&sort=top&limit=2&page=1",
        "/api/v1/ideas/?category=savings&tag=mobile&stage=planned&q=idea",
        f"/api/v1/ideas/{data['planned'].pk}/",
        f"/api/v1/ideas/{data['duplicate'].pk}/",
        f"/api/v1/ideas/{data['planned'].pk}/history/",
        f"/api/v1/ideas/{data['duplicate'].pk}/history/",
        "/api/v1/stages/",
        "/api/v1/roadmap/",
    ]
    for url in urls:
        response = validated(openapi, api.get(url))
        assert response.status_code == 200, url


def test_not_found_answers_match_the_schema(api, openapi, data):
    assert validated(openapi, api.get("/api/v1/ideas/999999/")).status_code == 404


def test_move_answers_match_the_schema(openapi, data, team_member):
    url = f"/api/v1/ideas/{data['plain'].pk}/move/"
    client = token_client(team_member)
    ok = validated(
        openapi, client.post(url, {"stage": "under-review", "note": "Go"}, format="json")
    )
    assert ok.status_code == 200
    refused = client.post(url, {"stage": "declined"}, format="json")
    assert validated(openapi, refused).status_code == 400
    unknown = client.post(url, {"stage": "nope"}, format="json")
    assert validated(openapi, unknown).status_code == 400
    member = token_client(UserFactory()).post(url, {"stage": "new"}, format="json")
    assert validated(openapi, member).status_code == 403
    anonymous = token_client(None).post(url, {"stage": "new"}, format="json")
    assert validated(openapi, anonymous, request_is_valid=False).status_code == 401
    merge = validated(
        openapi,
        client.post(
            f"/api/v1/ideas/{data['planned'].pk}/merge/",
            {"target": data["plain"].pk, "note": "Same thing"},
            format="json",
        ),
    )
    assert merge.status_code == 200


def test_the_docs_page_loads_swagger_from_our_own_static_files(api):
    html = api.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
