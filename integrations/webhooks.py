"""Webhooks: `event_fan_out(event)` is subscribed to the event bus (see `apps.py`) and runs inside
the event's transaction: it writes one `WebhookDelivery` per subscribed endpoint, so the promise
to deliver is in PostgreSQL before anything is sent. Each delivery is then sent through the core
outbox (claim, retry with backoff, sweep) by `send`, which signs and posts one payload."""

import hashlib
import hmac
import json
import logging
import time
from functools import partial

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.text import Truncator
from django_comments_xtd.models import XtdComment

from core import outbox
from core.links import absolute
from ideas.models import Idea
from segments.audience import anyone, visible_ideas

from .models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

# Outbox event kind → webhook event. An official response (`idea.response`: a public note
# without a move) reaches the endpoints that follow stage changes, as a stage change whose
# `from` and `to` are the same stage and whose payload says `"is_response": true`.
WEBHOOK_EVENT_FOR_KIND = {
    "idea.created": "idea.created",
    "idea.stage_changed": "idea.stage_changed",
    "idea.response": "idea.stage_changed",
    "idea.merged": "idea.merged",
    "comment.created": "comment.created",
}
# Retry n waits base × BACKOFF[n-1]: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h with base 10.
BACKOFF = (1, 6, 30, 180, 720, 2160, 4320)
CHANNEL = "webhook"
# How much of the receiver's answer the delivery log keeps.
RESPONSE_KEEP = 2000
EXCERPT_CHARS = 200
USER_AGENT = "Cocrea-Webhooks/1"


def webhook_event(event):
    return WEBHOOK_EVENT_FOR_KIND.get(event.kind)


def _idea_is_public(idea_id):
    """Whether anyone may see the idea: webhook receivers carry no member's identity, so ideas
    of campaigns with an audience never go out (`segments.audience`)."""
    return visible_ideas(Idea.objects.public(), anyone()).filter(pk=idea_id).exists()


def event_fan_out(event):
    """Create one delivery per active endpoint subscribed to the event and queue them after
    commit. Only events about public ideas go out (a pending idea's `idea.created` is never
    recorded; ideas of restricted campaigns stay private). Returns the number of deliveries."""
    name = webhook_event(event)
    if name is None:
        return 0
    # Endpoints are few; filtering the JSON list in Python works on every database.
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if name in (endpoint.events or [])
    ]
    if not endpoints or not _idea_is_public(event.idea_id):
        return 0
    created = []
    for endpoint in endpoints:
        delivery, new = WebhookDelivery.objects.get_or_create(endpoint=endpoint, event=event)
        if new:
            created.append(delivery.pk)
    for pk in created:
        transaction.on_commit(partial(queue_delivery, pk))
    return len(created)


def queue_delivery(delivery_id, countdown=None):
    """Hand one delivery to a worker (never raises: the outbox sweep is the safety net)."""
    return outbox.enqueue(CHANNEL, delivery_id, countdown)


def retry_delay(attempts):
    """Seconds to wait before the next attempt, after `attempts` failed ones."""
    return outbox.steps(settings.WEBHOOK_RETRY_BASE_SECONDS, BACKOFF)(attempts)


# Payloads -------------------------------------------------------------------------------------


def idea_url(idea):
    return absolute(idea.url) or None


def _stage(stage):
    return {"slug": stage.slug, "name": stage.display_name} if stage is not None else None


def _idea(idea):
    return {
        "id": idea.pk,
        "title": idea.title,
        "url": idea_url(idea),
        "stage": _stage(idea.stage),
        "vote_count": idea.vote_count,
    }


def _comment(event):
    comment = XtdComment.objects.filter(pk=event.comment_id).first()
    visible = comment is not None and comment.is_public and not comment.is_removed
    url = idea_url(event.idea)
    return {
        "id": event.comment_id,
        "url": f"{url}#c{event.comment_id}" if url else None,
        "excerpt": Truncator(" ".join(comment.comment.split())).chars(EXCERPT_CHARS)
        if visible
        else "",
    }


def build_payload(event):
    """The JSON body for `event`: public data only (titles, stages, public notes, counts),
    never authors, e-mails, internal notes or assignees."""
    payload = {
        "event": webhook_event(event),
        "id": event.pk,
        "created_at": event.created_at,
        "idea": _idea(event.idea),
    }
    change = event.stage_change
    if change is not None:
        payload["stage_change"] = {
            "from": _stage(change.from_stage),
            "to": _stage(change.to_stage),
            "note": change.note,
            "is_response": event.kind == "idea.response",
        }
    if event.kind == "idea.merged":
        target = (
            Idea.objects.select_related("campaign", "stage")
            .filter(pk=event.data.get("target"))
            .first()
        )
        payload["target"] = _idea(target) if target is not None else None
    if event.kind == "comment.created":
        payload["comment"] = _comment(event)
    return payload


def _slack_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(item):
    title = _slack_escape(item["title"])
    return f"<{item['url']}|{title}>" if item.get("url") else title


def slack_message(payload):
    """The same event as one readable Slack sentence with a link."""
    idea = payload["idea"]
    link = _slack_link(idea)
    change = payload.get("stage_change") or {}
    note = change.get("note")
    if payload["event"] == "idea.created":
        text = f"New idea: {link}"
    elif payload["event"] == "idea.merged":
        target = payload.get("target")
        text = f"{link} was merged into {_slack_link(target) if target else 'another idea'}"
    elif payload["event"] == "comment.created":
        excerpt = _slack_escape(payload["comment"]["excerpt"])
        text = f"New comment on {link}" + (f": “{excerpt}”" if excerpt else "")
        note = None
    elif change.get("is_response"):
        text = f"Official response on {link}"
    else:
        text = f"{link} moved from {change['from']['name']} to {change['to']['name']}"
    if note:
        text += f"\n> {_slack_escape(note)}"
    return {"text": text}


def sign(secret, timestamp, body):
    """`sha256=` + HMAC-SHA256 of `"{timestamp}.{body}"` with the endpoint's secret."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# Delivery -------------------------------------------------------------------------------------


def _post(endpoint, delivery, body_dict):
    body = json.dumps(body_dict, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Cocrea-Event": body_dict.get("event") or delivery.event.kind,
        "X-Cocrea-Delivery": str(delivery.pk),
        "X-Cocrea-Timestamp": timestamp,
        "X-Cocrea-Signature": sign(endpoint.secret, timestamp, body),
    }
    # Redirects are never followed: a 3xx is a failed attempt, so a receiver cannot send our
    # signed body to another host.
    with requests.post(
        endpoint.url,
        data=body,
        headers=headers,
        timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        allow_redirects=False,
        stream=True,
    ) as response:
        text = next(response.iter_content(RESPONSE_KEEP), b"").decode("utf-8", "replace")
        return response.status_code, text


class ReceiverFailed(Exception):
    """The receiver did not answer 2xx: a failed attempt, retried with backoff."""

    def __init__(self, error):
        super().__init__(error)
        self.delivery_error = error


def send(delivery):
    """The outbox channel's sender: post one signed payload. The receiver's answer is kept on
    the row; anything but a 2xx is a failed attempt (redirects are never followed)."""
    endpoint, event = delivery.endpoint, delivery.event
    if not endpoint.is_active:
        raise outbox.GiveUp("The endpoint was turned off.")
    if not _idea_is_public(event.idea_id):
        raise outbox.GiveUp("The idea is no longer public.")
    payload = build_payload(event)
    body = slack_message(payload) if endpoint.format == endpoint.Format.SLACK else payload
    try:
        code, text = _post(endpoint, delivery, body)
    except requests.RequestException as exc:
        delivery.response_status, delivery.response_body = None, ""
        raise ReceiverFailed(f"{type(exc).__name__}: {exc}") from exc
    delivery.response_status, delivery.response_body = code, text
    if not 200 <= code < 300:
        error = f"HTTP {code}"
        if 300 <= code < 400:
            error += " (redirects are not followed)"
        raise ReceiverFailed(error)


def deliver(delivery_id):
    """Send one delivery now if it is pending and due (see `core.outbox.deliver`)."""
    return outbox.deliver(CHANNEL, delivery_id)


def sweep(*, due_before=None):
    """Queue the webhook deliveries that are due; returns how many."""
    return outbox.sweep(due_before=due_before, only={CHANNEL})[CHANNEL]
