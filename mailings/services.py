"""Writes of the mailings app: every view, task and command goes through these."""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotAllowed
from core.permissions import require
from members.models import ConsentRecord
from members.services import marketing_consent_set

from .messages import build_message
from .models import EmailCampaign, MarketingDelivery
from .permissions import can_manage_campaigns
from .selectors import campaign_recipients


def campaign_create(*, article, segments=(), subject="", actor):
    require(can_manage_campaigns(actor, "add"))
    campaign = EmailCampaign.objects.create(article=article, subject=subject, created_by=actor)
    campaign.segments.set(segments)
    return campaign


def campaign_update(*, campaign, article, segments=(), subject="", actor):
    require(can_manage_campaigns(actor, "change"))
    with transaction.atomic():
        campaign = EmailCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != EmailCampaign.Status.DRAFT:
            raise NotAllowed(_("Only a draft can be changed."))
        campaign.article, campaign.subject = article, subject
        campaign.save(update_fields=["article", "subject"])
        campaign.segments.set(segments)
    return campaign


def campaign_test_send(*, campaign, actor, member=None):
    """One e-mail to `member` (default: the editor sending it), exactly as a recipient gets
    it, marked as a test. Not recorded as a delivery."""
    require(can_manage_campaigns(actor, "change"))
    member = member or actor
    if not member.email:
        raise NotAllowed(_("Your account has no e-mail address."))
    build_message(campaign, member, test=True).send()


def campaign_send(*, campaign, actor):
    """Freeze the recipients (one queued delivery each) and start sending. Returns how many."""
    from .sending import queue_batch

    require(can_manage_campaigns(actor, "change"))
    with transaction.atomic():
        campaign = (
            EmailCampaign.objects.select_for_update().select_related("article").get(pk=campaign.pk)
        )
        if campaign.status != EmailCampaign.Status.DRAFT:
            raise NotAllowed(_("This campaign was sent already."))
        if not campaign.article.live:
            raise NotAllowed(_("Publish the article before sending it."))
        member_ids = list(campaign_recipients(campaign).values_list("pk", flat=True))
        MarketingDelivery.objects.bulk_create(
            [MarketingDelivery(campaign=campaign, member_id=pk) for pk in member_ids],
            ignore_conflicts=True,
            batch_size=1000,
        )
        campaign.status = EmailCampaign.Status.SENDING
        campaign.started_at = timezone.now()
        campaign.recipients = len(member_ids)
        campaign.save(update_fields=["status", "started_at", "recipients"])
        transaction.on_commit(partial(queue_batch, campaign.pk))
    return len(member_ids)


def campaign_cancel(*, campaign, actor):
    """Stop sending: what is still queued is skipped. Returns how many were skipped."""
    require(can_manage_campaigns(actor, "change"))
    with transaction.atomic():
        campaign = EmailCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status not in (EmailCampaign.Status.DRAFT, EmailCampaign.Status.SENDING):
            raise NotAllowed(_("This campaign is no longer sending."))
        campaign.status = EmailCampaign.Status.CANCELLED
        campaign.finished_at = timezone.now()
        campaign.lease_token, campaign.lease_until = "", None
        campaign.save(update_fields=["status", "finished_at", "lease_token", "lease_until"])
        # A delivery being handed over right now keeps its lock; this waits for it and leaves
        # it sent.
        skipped = campaign.deliveries.filter(status=MarketingDelivery.Status.PENDING).update(
            status=MarketingDelivery.Status.SKIPPED, error=_("Campaign cancelled")
        )
    from .sending import campaign_recount

    campaign_recount(campaign.pk)
    return skipped


def marketing_unsubscribe(member):
    """What a campaign e-mail's unsubscribe link does: withdraw marketing consent (recorded)."""
    return marketing_consent_set(
        member=member, given=False, source=ConsentRecord.Source.UNSUBSCRIBE
    )
