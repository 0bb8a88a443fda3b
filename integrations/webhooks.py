"""Webhook fan-out and delivery. `event_fan_out(event)` is called by the outbox worker, inside
the event's transaction: it writes one `WebhookDelivery` per subscribed endpoint, so the promise
to deliver is in PostgreSQL before anything is sent. Each delivery is then sent by the
`deliver_webhook` task, retried with backoff, and picked up by `sweep()` when a message was lost
(Redis down, a worker killed, a retry due later than we park in the broker)."""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta
from functools import partial

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

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
# Retries due later than this are not parked in the broker (Redis hands a message held past its
# visibility timeout to a second worker); the sweep queues them when they are due.
MAX_COUNTDOWN_SECONDS = 15 * 60
# How much of the receiver's answer the delivery log keeps.
RESPONSE_KEEP = 2000
EXCERPT_CHARS = 200
USER_AGENT = "Cocrea-Webhooks/1"


def webhook_event(event):
    return WEBHOOK_EVENT_FOR_KIND.get(event.kind)


def _idea_is_public(idea_id):
    """Whether anyone may see the idea: webhook receivers carry no member's identity, so ideas
    of campaigns with an audience never go out (`members.audience`)."""
    from ideas.models import Idea
    from members.audience import anyone, visible_ideas

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
    """Ask a worker to send the delivery. Never raises: when the broker is away the row stays
    pending and the sweep queues it again."""
    from .tasks import deliver_webhook

    try:
        deliver_webhook.apply_async(args=[delivery_id], countdown=countdown, retry=False)
    except Exception:
        log.exception("webhooks: delivery %s left for the sweep", delivery_id)
        return False
    return True


def sweep(limit=1000):
    """Queue deliveries that are due (first attempts left behind, retries after backoff).
    Returns how many were queued."""
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if queue_delivery(pk))


def retry_delay(attempts):
    """Seconds to wait before the next attempt, after `attempts` failed ones."""
    step = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    return settings.WEBHOOK_RETRY_BASE_SECONDS * step


# Payloads -------------------------------------------------------------------------------------


def absolute(url):
    if url and url.startswith("/"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url


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
    from django_comments_xtd.models import XtdComment

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
    from ideas.models import Idea

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


def deliver(delivery_id):
    """Send one delivery if it is pending and due. The row stays locked while it is sent, so
    two workers (a retry and the sweep) never send it twice at once. Returns the new status, or
    None when there was nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "endpoint",
                "event__idea__campaign",
                "event__idea__stage",
                "event__stage_change__from_stage",
                "event__stage_change__to_stage",
            )
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        # Locked by another worker, already done, or an early duplicate of a later retry.
        if delivery is None or delivery.next_attempt_at > now + timedelta(seconds=1):
            return None
        endpoint, event = delivery.endpoint, delivery.event
        if not endpoint.is_active:
            return _give_up(delivery, "The endpoint was turned off.")
        if not _idea_is_public(event.idea_id):
            return _give_up(delivery, "The idea is no longer public.")
        payload = build_payload(event)
        body = slack_message(payload) if endpoint.format == endpoint.Format.SLACK else payload
        delivery.attempts += 1
        try:
            code, text = _post(endpoint, delivery, body)
        except requests.RequestException as exc:
            code, text, error = None, "", f"{type(exc).__name__}: {exc}"
        else:
            error = "" if 200 <= code < 300 else f"HTTP {code}"
            if 300 <= code < 400:
                error += " (redirects are not followed)"
        delivery.response_status, delivery.response_body = code, text
        delivery.error = error[:RESPONSE_KEEP]
        retry_in = None
        if not error:
            delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            retry_in = retry_delay(delivery.attempts)
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        delivery.save()
        if retry_in is not None and retry_in <= MAX_COUNTDOWN_SECONDS:
            transaction.on_commit(partial(queue_delivery, delivery.pk, countdown=retry_in))
    if error:
        log.warning("webhooks: delivery %s attempt %s: %s", delivery.pk, delivery.attempts, error)
    return delivery.status


def _give_up(delivery, reason):
    delivery.status, delivery.error = WebhookDelivery.Status.FAILED, reason
    delivery.save(update_fields=["status", "error"])
    return delivery.status
