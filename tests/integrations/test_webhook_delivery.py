"""Delivering a webhook to a real HTTP receiver (eager tasks): signed, retried with backoff,
given up after the last attempt. The same journey on a real worker is in test_webhook_worker."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Stage
from ideas.services import idea_move
from integrations.models import WebhookDelivery
from integrations.webhooks import deliver, retry_delay
from tests.factories import IdeaFactory
from tests.integrations.helpers import endpoint, header, signature_is_valid

pytestmark = pytest.mark.django_db


def move(idea, actor, slug="planned", note="Coming in spring."):
    return idea_move(idea=idea, to_stage=Stage.objects.get(slug=slug), actor=actor, note=note)


def test_a_stage_change_is_posted_signed_to_the_receiver(
    receiver, campaign, team_member, django_capture_on_commit_callbacks
):
    server = receiver()
    hook = endpoint(server.url)
    idea = IdeaFactory(campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        move(idea, team_member)

    assert len(server.requests) == 1
    request = server.requests[0]
    assert signature_is_valid(request)
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert header(request, "X-Cocrea-Event") == "idea.stage_changed"
    assert header(request, "X-Cocrea-Delivery") == str(delivery.pk)
    assert header(request, "Content-Type") == "application/json"
    body = json.loads(request["body"])
    assert body["event"] == "idea.stage_changed"
    assert body["id"] == delivery.event_id
    assert body["idea"] == {
        "id": idea.pk,
        "title": idea.title,
        "url": f"http://testserver{campaign.url}ideas/{idea.pk}/",
        "stage": {"slug": "planned", "name": "Planned"},
        "vote_count": 0,
    }
    assert body["stage_change"] == {
        "from": {"slug": "new", "name": "New"},
        "to": {"slug": "planned", "name": "Planned"},
        "note": "Coming in spring.",
        "is_response": False,
    }
    assert delivery.status == "sent"
    assert delivery.attempts == 1
    assert delivery.response_status == 200
    assert delivery.sent_at is not None


def test_a_signature_made_with_another_secret_does_not_match(
    receiver, campaign, team_member, django_capture_on_commit_callbacks
):
    server = receiver()
    endpoint(server.url)
    with django_capture_on_commit_callbacks(execute=True):
        move(IdeaFactory(campaign=campaign), team_member)
    assert not signature_is_valid(server.requests[0], secret="another-secret")


def test_a_500_is_retried_and_the_second_attempt_delivers(
    receiver, campaign, team_member, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    server = receiver(answers=(500, 200))
    hook = endpoint(server.url)
    with django_capture_on_commit_callbacks(execute=True):
        move(IdeaFactory(campaign=campaign), team_member)

    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert delivery.status == "sent"
    assert delivery.attempts == 2
    assert len(server.requests) == 2
    assert all(signature_is_valid(r) for r in server.requests)
    ids = {header(r, "X-Cocrea-Delivery") for r in server.requests}
    assert ids == {str(delivery.pk)}  # the receiver's idempotency key


def test_failures_back_off_and_give_up_after_the_last_attempt(
    receiver, campaign, team_member, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    server = receiver(answers=(503,))
    hook = endpoint(server.url)
    with django_capture_on_commit_callbacks(execute=True):
        move(IdeaFactory(campaign=campaign), team_member)
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.response_status == 503
    assert delivery.error == "HTTP 503"
    assert delivery.response_body == "try again"
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 8 < wait <= 10

    assert deliver(delivery.pk) is None  # not due yet: nothing is sent
    assert len(server.requests) == 1
    for expected in ("pending", "failed"):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert deliver(delivery.pk) == expected
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert len(server.requests) == 3
    assert deliver(delivery.pk) is None  # failed deliveries are left alone


def test_backoff_grows_from_the_configured_base(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    assert [retry_delay(n) for n in range(1, 9)] == [
        10,
        60,
        300,
        1800,
        7200,
        21600,
        43200,
        43200,
    ]


def test_an_unreachable_receiver_counts_as_a_failed_attempt(campaign, team_member, receiver):
    server = receiver()
    url = server.url
    server.server.shutdown()
    server.server.server_close()
    hook = endpoint(url)
    idea = IdeaFactory(campaign=campaign)
    move(idea, team_member)
    from ideas.models import Event

    event = Event.objects.get(idea=idea)
    delivery = WebhookDelivery.objects.create(endpoint=hook, event=event)
    assert deliver(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.response_status is None
    assert "ConnectionError" in delivery.error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=5)


def test_redirects_are_not_followed(receiver, campaign, team_member):
    server = receiver(answers=(302,))
    hook = endpoint(server.url)
    idea = IdeaFactory(campaign=campaign)
    move(idea, team_member)
    from ideas.models import Event

    delivery = WebhookDelivery.objects.create(endpoint=hook, event=Event.objects.get(idea=idea))
    assert deliver(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.response_status == 302
    assert "redirects are not followed" in delivery.error
    assert len(server.requests) == 1
