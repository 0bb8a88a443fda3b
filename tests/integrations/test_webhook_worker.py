"""The whole webhook path on the real stack: a stage change commits in PostgreSQL, the outbox
event goes through Redis to a real Celery worker, which fans it out and POSTs it to a local
receiver; the receiver fails once and the retry (queued by the worker, through Redis) lands."""

import time

import pytest

from ideas.models import Stage
from ideas.services import idea_move
from integrations.models import WebhookDelivery
from tests.factories import IdeaFactory, UserFactory
from tests.integrations.helpers import endpoint, header, signature_is_valid

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def wait_for_delivery(hook, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery = WebhookDelivery.objects.filter(endpoint=hook).first()
        if delivery is not None and delivery.status != "pending":
            return delivery
        time.sleep(0.2)
    raise AssertionError(f"not delivered in {timeout}s: {delivery and delivery.__dict__}")


def test_a_real_worker_delivers_a_signed_webhook_and_retries_after_a_500(worker, receiver):
    server = receiver(answers=(500, 200))
    hook = endpoint(server.url)
    idea = IdeaFactory()
    team = UserFactory(is_team=True, is_staff=True)

    idea_move(idea=idea, to_stage=Stage.objects.get(slug="planned"), actor=team, note="Soon")

    delivery = wait_for_delivery(hook)
    assert delivery.status == "sent"
    assert delivery.attempts == 2
    assert delivery.response_status == 200
    assert len(server.requests) == 2
    for request in server.requests:
        assert signature_is_valid(request)
        assert header(request, "X-Cocrea-Delivery") == str(delivery.pk)
        assert header(request, "X-Cocrea-Event") == "idea.stage_changed"
    assert server.json()["stage_change"]["note"] == "Soon"
    assert server.json()["idea"]["url"].endswith(f"/ideas/{idea.pk}/")
