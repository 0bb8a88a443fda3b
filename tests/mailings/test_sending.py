"""Sending in batches at a rate, each delivery at most once, resumable, with failures recorded
(in-process; the real worker under faults is in test_worker_faults.py)."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core import outbox
from mailings import sending
from mailings.models import EmailCampaign, MarketingDelivery
from mailings.services import campaign_send
from members.models import ConsentRecord
from members.services import marketing_consent_set
from tests.factories import editor

from .factories import consenting_member, make_campaign, make_segment

pytestmark = pytest.mark.django_db
Status = MarketingDelivery.Status


@pytest.fixture
def audience():
    segment = make_segment()
    return segment, [consenting_member(segment) for _ in range(5)]


def send(campaign, capture):
    with capture(execute=True):
        return campaign_send(campaign=campaign, actor=editor())


def test_every_recipient_gets_one_e_mail_and_the_campaign_ends_sent(
    audience, django_capture_on_commit_callbacks
):
    segment, members = audience
    campaign = make_campaign(segments=[segment])
    assert send(campaign, django_capture_on_commit_callbacks) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.SENT and campaign.finished_at
    assert (campaign.recipients, campaign.sent, campaign.failed, campaign.skipped) == (5, 5, 0, 0)
    assert not campaign.lease_token
    assert all(d.sent_at and d.attempts == 1 for d in campaign.deliveries.all())


def test_batches_follow_each_other_until_everyone_is_sent(
    audience, settings, django_capture_on_commit_callbacks
):
    settings.MAILING_BATCH_SIZE = 2
    segment, _members = audience
    campaign = make_campaign(segments=[segment])
    send(campaign, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    assert campaign.deliveries.filter(status=Status.SENT).count() == 5


def test_the_rate_limit_spaces_the_e_mails(audience, settings, django_capture_on_commit_callbacks):
    settings.MAILING_RATE_PER_SECOND = 20
    segment, _members = audience
    started = time.monotonic()
    send(make_campaign(segments=[segment]), django_capture_on_commit_callbacks)
    assert time.monotonic() - started >= 4 / 20  # five e-mails: four gaps of 1/20 s


def test_a_delivery_is_sent_at_most_once(audience, django_capture_on_commit_callbacks):
    segment, _members = audience
    campaign = make_campaign(segments=[segment])
    send(campaign, django_capture_on_commit_callbacks)
    delivery = campaign.deliveries.first()
    EmailCampaign.objects.filter(pk=campaign.pk).update(status=EmailCampaign.Status.SENDING)
    assert outbox.deliver("mailing", delivery.pk) is None  # sent already: nothing happens
    sending.send_batch(campaign.pk, force=True)
    assert len(mail.outbox) == 5


def test_a_member_who_unsubscribes_after_send_is_skipped(
    audience, django_capture_on_commit_callbacks
):
    segment, members = audience
    campaign = make_campaign(segments=[segment])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        campaign_send(campaign=campaign, actor=editor())
    marketing_consent_set(member=members[0], given=False, source=ConsentRecord.Source.UNSUBSCRIBE)
    for callback in callbacks:
        callback()
    assert members[0].email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 4
    skipped = campaign.deliveries.get(member=members[0])
    assert skipped.status == Status.SKIPPED and "Unsubscribed" in skipped.error


def test_a_mail_server_failure_is_retried_then_recorded_as_failed(
    audience, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.support.mail.FailingBackend"
    segment, _members = audience
    campaign = make_campaign(segments=[segment])
    send(campaign, django_capture_on_commit_callbacks)
    first = campaign.deliveries.order_by("pk").first()
    assert (first.status, first.attempts) == (Status.PENDING, 1)  # retried after a backoff
    for _round in range(5 * sending.MAX_ATTEMPTS):  # time passes: every retry comes due
        if not campaign.deliveries.filter(status=Status.PENDING).exists():
            break
        campaign.deliveries.update(next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            sending.send_batch(campaign.pk, force=True)
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.SENT
    assert campaign.failed == 5
    for delivery in campaign.deliveries.all():
        assert delivery.status == Status.FAILED
        assert delivery.attempts == sending.MAX_ATTEMPTS
        assert "ConnectionRefusedError" in delivery.error


def test_resume_sends_what_a_lost_chain_left_queued(audience, django_capture_on_commit_callbacks):
    segment, _members = audience
    campaign = make_campaign(segments=[segment])
    with django_capture_on_commit_callbacks(execute=False):  # the first batch is "lost"
        campaign_send(campaign=campaign, actor=editor())
    assert mail.outbox == []
    assert sending.resume() == [campaign.pk]
    assert len(mail.outbox) == 5
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.SENT


def test_a_chain_holding_the_lease_is_not_doubled_until_it_expires(audience):
    segment, _members = audience
    campaign = make_campaign(segments=[segment], status=EmailCampaign.Status.SENDING)
    token = sending.lease_claim(campaign.pk)
    assert token
    assert sending.lease_claim(campaign.pk) is None  # beat: the chain is alive
    assert sending.lease_claim(campaign.pk, token) == token  # the chain continues
    assert sending.lease_claim(campaign.pk, force=True) not in (None, token)  # worker start
    EmailCampaign.objects.filter(pk=campaign.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert sending.lease_claim(campaign.pk)  # expired: taken over


def test_a_campaign_with_no_recipients_ends_at_once(django_capture_on_commit_callbacks):
    campaign = make_campaign(segments=[make_segment()])
    assert send(campaign, django_capture_on_commit_callbacks) == 0
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.SENT and mail.outbox == []
