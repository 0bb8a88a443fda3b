"""Who may do what through the API, role × action: reading is public; moving and merging ideas
need a token (or a session) of the product team."""

import pytest
from rest_framework.test import APIClient

from ideas.models import IdeaStageChange
from tests.factories import IdeaFactory
from tests.integrations.conftest import ROLES, make_user, token_client

pytestmark = pytest.mark.django_db

CAN_TRIAGE = {"product_team", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads(role, campaign):
    idea = IdeaFactory(campaign=campaign)
    client = token_client(make_user(role))
    for url in (
        "/api/v1/ideas/",
        f"/api/v1/ideas/{idea.pk}/",
        f"/api/v1/ideas/{idea.pk}/history/",
        "/api/v1/campaigns/",
        "/api/v1/stages/",
        "/api/v1/roadmap/",
        "/api/v1/schema/",
        "/api/v1/docs/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_move_with_a_token(role, campaign):
    idea = IdeaFactory(campaign=campaign)
    client = token_client(make_user(role))
    response = client.post(
        f"/api/v1/ideas/{idea.pk}/move/", {"stage": "planned", "note": "Soon."}, format="json"
    )
    idea.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    elif role in CAN_TRIAGE:
        assert response.status_code == 200
        assert response.json()["stage"]["slug"] == "planned"
        assert response.json()["response"] == "Soon."
        assert idea.stage.slug == "planned"
        return
    else:
        assert response.status_code == 403
        assert response.json()["detail"] == "Only the product team can move ideas."
    assert idea.stage.slug == "new"
    assert not IdeaStageChange.objects.filter(idea=idea).exists()


@pytest.mark.parametrize("role", ROLES)
def test_move_without_a_token_is_401_for_everyone(role, campaign):
    make_user(role)  # exists, but sends no credentials
    idea = IdeaFactory(campaign=campaign)
    response = APIClient().post(
        f"/api/v1/ideas/{idea.pk}/move/", {"stage": "planned"}, format="json"
    )
    assert response.status_code == 401
    idea.refresh_from_db()
    assert idea.stage.slug == "new"


def test_a_wrong_token_is_401(campaign):
    idea = IdeaFactory(campaign=campaign)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.post(f"/api/v1/ideas/{idea.pk}/move/", {"stage": "planned"}, format="json")
    assert response.status_code == 401


def test_a_signed_in_team_member_may_move_with_the_session_and_a_csrf_token(campaign, team_member):
    from tests.factories import PASSWORD

    idea = IdeaFactory(campaign=campaign)
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username=team_member.username, password=PASSWORD)
    url = f"/api/v1/ideas/{idea.pk}/move/"
    assert client.post(url, {"stage": "planned"}, format="json").status_code == 403
    secret = "s" * 32
    client.cookies["csrftoken"] = secret
    response = client.post(url, {"stage": "planned"}, format="json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 200


def test_refused_moves_are_400_with_the_reason(campaign, team_member):
    idea = IdeaFactory(campaign=campaign)
    client = token_client(team_member)
    url = f"/api/v1/ideas/{idea.pk}/move/"

    declined = client.post(url, {"stage": "declined"}, format="json")
    assert declined.status_code == 400
    assert "needs a public note" in declined.json()["detail"]

    unknown = client.post(url, {"stage": "no-such-stage"}, format="json")
    assert unknown.status_code == 400
    assert "stage" in unknown.json()["errors"]

    merged = client.post(url, {"stage": "merged", "note": "dup"}, format="json")
    assert merged.status_code == 400
    assert "Merge" in merged.json()["detail"]

    same = client.post(url, {"stage": "new"}, format="json")
    assert same.status_code == 400
    assert not IdeaStageChange.objects.filter(idea=idea).exists()


def test_moving_a_hidden_idea_is_404_for_the_team_too(campaign, team_member):
    idea = IdeaFactory(campaign=campaign, status="pending")
    response = token_client(team_member).post(
        f"/api/v1/ideas/{idea.pk}/move/", {"stage": "planned"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_merge_with_a_token(role, campaign):
    source, target = IdeaFactory(campaign=campaign), IdeaFactory(campaign=campaign)
    client = token_client(make_user(role))
    response = client.post(
        f"/api/v1/ideas/{source.pk}/merge/",
        {"target": target.pk, "note": "The same idea."},
        format="json",
    )
    source.refresh_from_db()
    if role in CAN_TRIAGE:
        assert response.status_code == 200
        assert response.json()["merged_into"] == target.pk
        assert source.merged_into_id == target.pk
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert source.merged_into_id is None


def test_merge_refusals(campaign, team_member):
    source = IdeaFactory(campaign=campaign)
    elsewhere = IdeaFactory()
    client = token_client(team_member)
    url = f"/api/v1/ideas/{source.pk}/merge/"
    assert client.post(url, {"target": source.pk, "note": "x"}, format="json").status_code == 400
    assert client.post(url, {"target": elsewhere.pk, "note": "x"}, format="json").status_code == 400
    assert client.post(url, {"target": 999999, "note": "x"}, format="json").status_code == 400
    assert client.post(url, {"target": elsewhere.pk}, format="json").status_code == 400
