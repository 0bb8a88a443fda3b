"""Cancelling stops further sending: what is still queued is skipped, what went out stays
sent, and nothing more goes out afterwards."""

import pytest
from django.core import mail

from core import outbox
from core.exceptions import NotAllowed
from mailings import sending
from mailings.models import EmailCampaign, MarketingDelivery
from mailings.services import campaign_cancel, campaign_send
from tests.factories import editor

from .factories import consenting_member, make_campaign, make_segment

pytestmark = pytest.mark.django_db
Status = MarketingDelivery.Status


def test_cancel_skips_the_queued_deliveries_and_stops_sending(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILING_BATCH_SIZE = 2
    segment = make_segment()
    for _ in range(5):
        consenting_member(segment)
    campaign = make_campaign(segments=[segment])
    actor = editor()
    with django_capture_on_commit_callbacks(execute=False):
        campaign_send(campaign=campaign, actor=actor)
    token = sending.lease_claim(campaign.pk)
    # One batch by hand, without chaining further: the worker is "between batches".
    for delivery_id in campaign.deliveries.order_by("pk").values_list("pk", flat=True)[:2]:
        outbox.deliver("mailing", delivery_id)
    assert campaign_cancel(campaign=campaign, actor=actor) == 3
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.CANCELLED and campaign.finished_at
    assert (campaign.sent, campaign.skipped) == (2, 3)
    # The chain's next batch finds the campaign cancelled and sends nothing.
    assert sending.send_batch(campaign.pk, token=token) == 0
    assert len(mail.outbox) == 2
    reasons = set(campaign.deliveries.filter(status=Status.SKIPPED).values_list("error", flat=True))
    assert reasons == {"Campaign cancelled"}


def test_a_finished_campaign_cannot_be_cancelled(django_capture_on_commit_callbacks):
    campaign = make_campaign(segments=[make_segment()])
    with django_capture_on_commit_callbacks(execute=True):
        campaign_send(campaign=campaign, actor=editor())
    with pytest.raises(NotAllowed):
        campaign_cancel(campaign=campaign, actor=editor())
