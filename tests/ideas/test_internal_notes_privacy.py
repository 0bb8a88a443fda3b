"""Internal notes are for the team only: one marker, every public channel, never shown."""

import pytest
from django.core import mail
from django.urls import reverse

from cms.models import HomePage
from ideas.models import ChangelogPage, InternalNote, RoadmapPage, Stage
from ideas.services import follow, idea_move
from integrations.models import WebhookDelivery, WebhookEndpoint
from notifications.models import Notification
from tests.factories import IdeaFactory, UserFactory, team_member

pytestmark = pytest.mark.django_db
SECRET = "ZZ-internal-margin-talk-42"


@pytest.fixture
def shipped(django_capture_on_commit_callbacks):
    # In progress, so that it can ship (the default pipeline ships from there).
    idea = IdeaFactory(
        title="Round up card payments into savings", stage=Stage.objects.get(slug="in-progress")
    )
    home = HomePage.objects.get()
    for page in (
        RoadmapPage(title="Roadmap", slug="roadmap"),
        ChangelogPage(title="Changelog", slug="changelog"),
    ):
        home.add_child(instance=page)
    team = team_member()
    WebhookEndpoint.objects.create(
        name="Receiver", url="http://127.0.0.1:9/hook", events=["idea.stage_changed"]
    )
    InternalNote.objects.create(idea=idea, author=team, body=f"{SECRET}: costs vs value")
    follow(member=idea.author, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        idea_move(
            idea=idea, to_stage=Stage.objects.get(slug="shipped"), actor=team, note="Shipped!"
        )
    return idea


def test_no_public_channel_shows_an_internal_note(client, shipped):
    idea = shipped
    urls = [
        f"{idea.campaign.url}ideas/{idea.pk}/",
        idea.campaign.url,
        "/roadmap/",
        "/changelog/",
        f"/search/?q={idea.title.split()[0]}",
        "/feeds/changelog/",
        "/feeds/changelog/atom/",
        f"/feeds/campaigns/{idea.campaign.slug}/",
        f"/api/v1/ideas/{idea.pk}/",
        f"/api/v1/ideas/{idea.pk}/history/",
        "/api/v1/roadmap/",
        "/api/v1/ideas/",
    ]
    member = UserFactory()
    for who in (None, member, idea.author):
        if who:
            client.force_login(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "Round up card payments" in body or "Shipped!" in body, url  # the idea is there…
            assert SECRET not in body, url  # …its internal note is not
    client.force_login(idea.author)
    assert SECRET not in client.get(reverse("notifications:list")).content.decode()
    assert Notification.objects.filter(recipient=idea.author).exists()
    assert mail.outbox and all(
        SECRET not in m.body and SECRET not in m.alternatives[0][0] for m in mail.outbox
    )
    assert WebhookDelivery.objects.exists()


def test_webhook_payloads_leave_internal_notes_out(shipped):
    from integrations.webhooks import build_payload, slack_message

    delivery = WebhookDelivery.objects.select_related("event").get()
    payload = build_payload(delivery.event)
    assert "Shipped!" in str(payload)
    assert SECRET not in str(payload) and SECRET not in str(slack_message(payload))
