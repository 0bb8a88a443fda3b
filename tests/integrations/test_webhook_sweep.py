"""Deliveries left behind (the broker was down, a worker died) are sent by the sweep."""

import pytest
from django.utils import timezone

from core.tasks import outbox_sweep
from ideas.models import Event, Stage
from ideas.services import idea_move
from integrations.models import WebhookDelivery
from integrations.webhooks import sweep
from tests.factories import IdeaFactory
from tests.integrations.helpers import endpoint, signature_is_valid

pytestmark = pytest.mark.django_db


def pending_delivery(hook, campaign, actor, **fields):
    idea = IdeaFactory(campaign=campaign)
    idea_move(idea=idea, to_stage=Stage.objects.get(slug="planned"), actor=actor)
    event = Event.objects.get(idea=idea, kind="idea.stage_changed")
    return WebhookDelivery.objects.create(endpoint=hook, event=event, **fields)


def test_sweep_sends_a_delivery_left_pending(receiver, campaign, team_member):
    server = receiver()
    hook = endpoint(server.url)
    left = pending_delivery(hook, campaign, team_member)
    later = pending_delivery(
        hook, campaign, team_member, next_attempt_at=timezone.now() + timezone.timedelta(hours=1)
    )
    done = pending_delivery(hook, campaign, team_member, status="sent")

    assert sweep(due_before=timezone.now()) == 1
    assert len(server.requests) == 1
    assert signature_is_valid(server.requests[0])
    left.refresh_from_db()
    assert (left.status, left.attempts) == ("sent", 1)
    later.refresh_from_db()
    assert (later.status, later.attempts) == ("pending", 0)
    done.refresh_from_db()
    assert done.attempts == 0
    assert sweep(due_before=timezone.now()) == 0


def test_the_outbox_sweep_includes_webhooks(receiver, campaign, team_member):
    server = receiver()
    # Left behind a while ago (younger ones may still be on their way to a worker).
    pending_delivery(
        endpoint(server.url),
        campaign,
        team_member,
        next_attempt_at=timezone.now() - timezone.timedelta(minutes=5),
    )
    Event.objects.update(processed_at=timezone.now())
    assert outbox_sweep()["webhook"] == 1
    assert len(server.requests) == 1
