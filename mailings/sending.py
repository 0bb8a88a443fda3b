"""Sending a campaign: paced batches of deliveries, each sent through the core outbox
(`core.outbox.deliver`: the row stays locked while the message goes out and is marked sent in
the same transaction, so a second worker skips it while it is locked and finds it sent
afterwards; a worker killed mid-send rolls back and the row is pending again for whoever
resumes). One chain of batch tasks runs per campaign, holding a lease, so the rate holds; see
docs/mailings.md."""

import logging
import smtplib
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from segments.models import SegmentMembership

from .messages import build_message
from .models import EmailCampaign, MarketingDelivery
from .selectors import audience_ids, delivery_counts

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
LEASE_MARGIN_SECONDS = 60
CHANNEL = "mailing"
Status = MarketingDelivery.Status


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

    if countdown and getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        # Tasks run in-process (no Redis) cannot wait: the outbox sweep resumes the campaign
        # once the retry is due.
        return
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
        outbox.due(CHANNEL)
        .filter(campaign_id=campaign_id)
        .order_by("pk")
        .values_list("pk", flat=True)[: batch_size()]
    )
    per_second = rate()
    interval = 1 / per_second if per_second > 0 else 0
    started = time.monotonic()
    sent = handled = 0
    outcome = None
    for n, delivery_id in enumerate(rows):
        wait = started + n * interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        outcome = outbox.deliver(CHANNEL, delivery_id)
        handled += outcome is not None
        sent += outcome == Status.SENT
        if outcome == Status.PENDING:  # a passing failure: the mail server is probably away
            break
    campaign_recount(campaign_id)
    waiting = campaign.deliveries.filter(status=Status.PENDING)
    if outcome == Status.PENDING:
        retry_at = waiting.order_by("next_attempt_at").values_list("next_attempt_at", flat=True)
        countdown = max((retry_at.first() - timezone.now()).total_seconds(), 1)
        queue_batch(campaign_id, token=token, countdown=countdown)
    elif waiting.exists():
        # No progress means the rest is locked by a chain that is finishing, or waits for a
        # retry: look again when the next one is due.
        next_due = waiting.order_by("next_attempt_at").values_list("next_attempt_at", flat=True)
        countdown = None if handled else max((next_due.first() - timezone.now()).total_seconds(), 1)
        queue_batch(campaign_id, token=token, countdown=countdown)
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


def in_audience(delivery):
    """Whether the member is (still) in the audience of the campaign's article."""
    audience = audience_ids(delivery.campaign.article)
    return (
        not audience
        or SegmentMembership.objects.filter(
            member_id=delivery.member_id, segment_id__in=audience
        ).exists()
    )


def send(delivery):
    """The outbox channel's sender: checks again who the member is now (they may have
    unsubscribed or left the audience since Send), renders and hands the e-mail over."""
    reason = refusal(delivery.member, in_audience=in_audience(delivery))
    if reason:
        raise outbox.Skip(reason)
    try:
        message = build_message(delivery.campaign, delivery.member)
    except Exception as error:  # a broken template or block: no retry will fix it
        log.exception("campaign %s: rendering failed for %s", delivery.campaign_id, delivery.pk)
        raise outbox.GiveUp(f"{type(error).__name__}: {error}") from error
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise outbox.GiveUp(f"{type(error).__name__}: {error}") from error


def sweep(due_before, *, at_start=False):
    """The outbox sweep for campaign e-mails: resume the campaigns still sending."""
    return len(resume(force=at_start))


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
        if campaign is None or campaign.deliveries.filter(status=Status.PENDING).exists():
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
        if MarketingDelivery.objects.filter(
            campaign_id=campaign_id, status=Status.PENDING
        ).exists():
            queue_batch(campaign_id, force=force)
            queued.append(campaign_id)
        else:
            campaign_finish(campaign_id)
    return queued
