"""`manage.py api_token <username>` gives a product-team member a token for the API."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tests.factories import IdeaFactory, UserFactory
from tests.integrations.conftest import token_client

pytestmark = pytest.mark.django_db


def token_of(username, *args, capsys):
    call_command("api_token", username, *args)
    return capsys.readouterr().out.strip()


def test_a_team_member_gets_a_token_that_moves_ideas(team_member, campaign, capsys):
    key = token_of(team_member.username, capsys=capsys)
    assert key == Token.objects.get(user=team_member).key
    assert token_of(team_member.username, capsys=capsys) == key  # same token next time
    idea = IdeaFactory(campaign=campaign)
    client = token_client(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(f"/api/v1/ideas/{idea.pk}/move/", {"stage": "planned"}, format="json")
    assert response.status_code == 200


def test_rotate_and_revoke(team_member, capsys):
    first = token_of(team_member.username, capsys=capsys)
    second = token_of(team_member.username, "--rotate", capsys=capsys)
    assert second != first
    call_command("api_token", team_member.username, "--revoke")
    assert not Token.objects.filter(user=team_member).exists()


def test_members_outside_the_team_and_unknown_names_get_no_token():
    member = UserFactory()
    with pytest.raises(CommandError, match="product team"):
        call_command("api_token", member.username)
    with pytest.raises(CommandError, match="No member"):
        call_command("api_token", "nobody-here")
    assert not Token.objects.exists()
