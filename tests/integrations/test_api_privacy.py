"""Private means private: internal notes, the assignee, RICE scores and e-mail addresses never
leave through the API or webhooks, whoever asks."""

import uuid
from decimal import Decimal

import pytest

from ideas.models import Event, InternalNote, Stage
from ideas.services import idea_move
from integrations.webhooks import build_payload, slack_message
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.test_discussion import add_comment
from tests.integrations.conftest import token_client

pytestmark = pytest.mark.django_db


def test_internal_notes_assignee_and_emails_never_appear(campaign, team_member):
    marker = f"secret-{uuid.uuid4().hex}"
    author = UserFactory(email=f"author-{marker}@example.com")
    assignee = UserFactory(
        is_staff=True, username=f"assignee-{marker}", display_name=f"Assignee {marker}"
    )
    idea = IdeaFactory(
        campaign=campaign,
        author=author,
        assignee=assignee,
        reach=4242,
        impact=Decimal("3"),
        confidence=77,
        effort=Decimal("1.5"),
    )
    InternalNote.objects.create(idea=idea, author=team_member, body=f"Internal: {marker}")
    add_comment(idea, author, text="A public comment")
    idea_move(
        idea=idea, to_stage=Stage.objects.get(slug="under-review"), actor=team_member, note="Hi"
    )
    team_member.email = f"team-{marker}@example.com"
    team_member.save()

    for client in (token_client(None), token_client(team_member)):
        urls = [
            "/api/v1/ideas/",
            f"/api/v1/ideas/{idea.pk}/",
            f"/api/v1/ideas/{idea.pk}/history/",
            "/api/v1/campaigns/",
            f"/api/v1/campaigns/{campaign.pk}/",
            "/api/v1/stages/",
            "/api/v1/roadmap/",
            "/api/v1/schema/",
        ]
        for url in urls:
            body = client.get(url).content.decode()
            assert marker not in body, url
            assert "4242" not in body and "@example.com" not in body, url
            assert "assignee" not in body.lower() or url == "/api/v1/schema/", url

    moved = token_client(team_member).post(
        f"/api/v1/ideas/{idea.pk}/move/", {"stage": "planned", "note": "Planned!"}, format="json"
    )
    assert moved.status_code == 200
    assert marker not in moved.content.decode()
    assert "@example.com" not in moved.content.decode()

    for event in Event.objects.filter(idea=idea):
        payload = build_payload(event)
        text = str(payload) + str(slack_message(payload))
        assert marker not in text and "@example.com" not in text and "4242" not in text


def test_the_schema_does_not_even_describe_private_fields(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    idea = schema["components"]["schemas"]["Idea"]["properties"]
    for private in ("assignee", "author", "reach", "impact", "confidence", "effort", "priority"):
        assert private not in idea
    assert "InternalNote" not in str(schema)
