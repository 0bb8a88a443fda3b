"""Sending a campaign: batches of deliveries, each handed to the mail server at most once.

`deliver` keeps the delivery row locked (`SELECT … FOR UPDATE SKIP LOCKED`) while the message
goes out and marks it sent in the same transaction, as `members.notifications.deliver` does: a
second worker skips it while it is locked and finds it sent afterwards; a worker killed
mid-send rolls back and the row is queued again for whoever resumes. One chain of batch tasks
runs per campaign, holding a lease; see docs/mailings.md."""

import logging
import smtplib
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import SegmentMembership

from .messages import build_message
from .models import EmailCampaign, MarketingDelivery
from .selectors import audience_ids, delivery_counts

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
LEASE_MARGIN_SECONDS = 60
Status = MarketingDelivery.Status
RETRY = "retry"


def batch_size():
    return getattr(settings, "MAILING_BATCH_SIZE", 100)


def rate():
    """E-mails per second; 0 or less: as fast as the mail server takes them."""
    return float(getattr(settings, "MAILING_RATE_PER_SECOND", 10))


def lease_seconds():
    per_second = rate()
    return (batch_size() / per_second if per_second > 0 else 0) + LEASE_MARGIN_SECONDS


def queue_batch(campaign_id, *, token=None, force=False, countdown=None):
    from .tasks import send_batch

    try:
        send_batch.apply_async(
            args=[campaign_id],
            kwargs={"token": token, "force": force},
            countdown=countdown,
            retry=False,
        )
    except Exception:  # Redis down: the lease runs out and resume_sending picks it up
        log.exception("campaign %s left for resume_sending", campaign_id)


def lease_claim(campaign_id, token=None, *, force=False):
    """The token under which to send the next batch of a campaign still sending, or None when
    another chain holds it (or the campaign is done or cancelled). A chain continues with its
    own token; a new one takes over when the lease ran out, or at once with `force` (a worker
    starting up cannot tell whether the holder is alive, and `deliver` stays safe anyway)."""
    now = timezone.now()
    with transaction.atomic():
        campaign = (
            EmailCampaign.objects.select_for_update()
            .filter(pk=campaign_id, status=EmailCampaign.Status.SENDING)
            .first()
        )
        if campaign is None:
            return None
        ours = bool(token) and campaign.lease_token == token
        free = not campaign.lease_token or not campaign.lease_until or campaign.lease_until <= now
        if not (ours or free or force):
            return None
        if not ours:
            token = uuid.uuid4().hex
        campaign.lease_token = token
        campaign.lease_until = now + timedelta(seconds=lease_seconds())
        campaign.save(update_fields=["lease_token", "lease_until"])
    return token


def send_batch(campaign_id, *, token=None, force=False):
    """Send up to `batch_size()` queued deliveries at `rate()` per second, then queue the next
    batch or finish the campaign. Returns how many were sent."""
    token = lease_claim(campaign_id, token, force=force)
    if token is None:
        return 0
    campaign = EmailCampaign.objects.select_related("article").get(pk=campaign_id)
    rows = list(
        campaign.deliveries.filter(status=Status.QUEUED)
        .order_by("pk")
        .values_list("pk", "member_id")[: batch_size()]
    )
    audience = audience_ids(campaign.article)
    inside = None
    if audience:
        inside = set(
            SegmentMembership.objects.filter(
                member_id__in=[member for _pk, member in rows], segment_id__in=audience
            ).values_list("member_id", flat=True)
        )
    per_second = rate()
    interval = 1 / per_second if per_second > 0 else 0
    started = time.monotonic()
    sent = handled = 0
    outcome = None
    for n, (delivery_id, member_id) in enumerate(rows):
        wait = started + n * interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        outcome = deliver(delivery_id, campaign, in_audience=inside is None or member_id in inside)
        handled += outcome is not None
        sent += outcome == Status.SENT
        if outcome == RETRY:
            break
    campaign_recount(campaign_id)
    if outcome == RETRY:
        attempts = (
            MarketingDelivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True)
        ).first() or 1
        queue_batch(campaign_id, token=token, countdown=30 * 2 ** (attempts - 1))
    elif campaign.deliveries.filter(status=Status.QUEUED).exists():
        # No progress means the rest is locked by a chain that is finishing: look again soon.
        queue_batch(campaign_id, token=token, countdown=None if handled else 1)
    else:
        campaign_finish(campaign_id)
    return sent


def refusal(member, *, in_audience):
    """Why `member` must not get the e-mail now (they may have changed since Send), or ""."""
    if not member.is_active:
        return _("Account closed")
    if not member.email:
        return _("No e-mail address")
    if member.marketing_consent_at is None:
        return _("Unsubscribed or no marketing consent")
    if not in_audience:
        return _("Not in the article's audience")
    return ""


def deliver(delivery_id, campaign, *, in_audience=True):
    """Send one delivery if it is still queued and its campaign still sending. Returns the new
    status, RETRY (kept queued after a passing failure), or None when it is not ours to send
    (locked by another worker, sent already, cancelled)."""
    with transaction.atomic():
        delivery = (
            MarketingDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("member")
            .filter(
                pk=delivery_id,
                status=Status.QUEUED,
                campaign__status=EmailCampaign.Status.SENDING,
            )
            .first()
        )
        if delivery is None:
            return None
        reason = refusal(delivery.member, in_audience=in_audience)
        if reason:
            delivery.status, delivery.reason = Status.SKIPPED, reason
            delivery.save(update_fields=["status", "reason"])
            return delivery.status
        delivery.attempts += 1
        try:
            message = build_message(campaign, delivery.member)
        except Exception as error:  # a broken template or block: no retry will fix it
            log.exception("campaign %s: rendering failed for %s", campaign.pk, delivery_id)
            return _fail(delivery, error, permanent=True)
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            return _fail(delivery, error, permanent=True)
        except Exception as error:  # server down, timeout…: retried later, a few times
            return _fail(delivery, error, permanent=False)
        delivery.status, delivery.sent_at, delivery.reason = Status.SENT, timezone.now(), ""
        delivery.save(update_fields=["status", "sent_at", "reason", "attempts"])
    return Status.SENT


def _fail(delivery, error, *, permanent):
    delivery.reason = f"{type(error).__name__}: {error}"[:1000]
    if permanent or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Status.FAILED
    delivery.save(update_fields=["status", "reason", "attempts"])
    return delivery.status if delivery.status == Status.FAILED else RETRY


def campaign_recount(campaign_id):
    """Store the exact counters from the delivery rows."""
    counts = delivery_counts(EmailCampaign(pk=campaign_id))
    EmailCampaign.objects.filter(pk=campaign_id).update(
        recipients=sum(counts.values()),
        sent=counts[Status.SENT],
        failed=counts[Status.FAILED],
        skipped=counts[Status.SKIPPED],
    )
    return counts


def campaign_finish(campaign_id):
    """Mark a sending campaign sent once nothing is queued. Returns True when it did."""
    with transaction.atomic():
        campaign = (
            EmailCampaign.objects.select_for_update()
            .filter(pk=campaign_id, status=EmailCampaign.Status.SENDING)
            .first()
        )
        if campaign is None or campaign.deliveries.filter(status=Status.QUEUED).exists():
            return False
        campaign.status = EmailCampaign.Status.SENT
        campaign.finished_at = timezone.now()
        campaign.lease_token, campaign.lease_until = "", None
        campaign.save(update_fields=["status", "finished_at", "lease_token", "lease_until"])
    campaign_recount(campaign_id)
    return True


def resume(*, force=False):
    """Queue a batch for every campaign still sending (after a crash, a restart, a lost
    message); finish those with nothing queued. Returns the campaign ids queued."""
    queued = []
    for campaign_id in EmailCampaign.objects.filter(
        status=EmailCampaign.Status.SENDING
    ).values_list("pk", flat=True):
        if MarketingDelivery.objects.filter(campaign_id=campaign_id, status=Status.QUEUED).exists():
            queue_batch(campaign_id, force=force)
            queued.append(campaign_id)
        else:
            campaign_finish(campaign_id)
    return queued
