"""An e-mail campaign to 2,000 members on the real stack — a Celery worker process, Redis,
PostgreSQL: exactly one e-mail to each consenting member of the segment and none to anyone
else, also when the worker is SIGKILLed half-way (while handing an e-mail over) and a new one
resumes. Prints the figures (sent, duplicated, e-mails per second)."""

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from mailings.models import EmailCampaign, MarketingDelivery
from mailings.services import campaign_send
from members.models import User
from segments.models import SegmentMembership
from tests.factories import editor, ensure_baseline
from tests.support.worker import Worker, queue_name, sending_to, wait_for

from .factories import make_article, make_campaign, make_segment

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

INSIDERS, WITHOUT_CONSENT, OUTSIDERS = 1500, 300, 200
KILL_AFTER = 700
WORKER_ENV = {"MAILING_RATE_PER_SECOND": "5000"}  # the limit is exercised, not the bottleneck
HEADER = re.compile(r"^X-Cocrea-Mailing: (\d+):(\d+)$", re.MULTILINE)


@pytest.fixture
def campaign():
    """1,500 consenting members in the segment, 300 in it without consent, 200 consenting
    outside it; a campaign of an article for everyone, sent to the segment."""
    ensure_baseline()
    segment = make_segment("Savers")
    now = timezone.now()
    plan = [("in", True)] * INSIDERS + [("nc", False)] * WITHOUT_CONSENT
    plan += [("out", True)] * OUTSIDERS
    User.objects.bulk_create(
        [
            User(
                username=f"{kind}{n}",
                email=f"{kind}{n}@example.com",
                password="!",
                marketing_consent_at=now if consent else None,
            )
            for n, (kind, consent) in enumerate(plan)
        ],
        batch_size=1000,
    )
    members = User.objects.filter(username__regex=r"^(in|nc)\d+$").values_list("pk", flat=True)
    SegmentMembership.objects.bulk_create(
        [SegmentMembership(segment=segment, member_id=pk) for pk in members], batch_size=1000
    )
    return make_campaign(make_article(), segments=[segment])


def copies(mail_dir: Path, campaign) -> Counter:
    """E-mails per member id of this campaign in the mail files."""
    found = Counter()
    for path in mail_dir.iterdir() if mail_dir.exists() else ():
        for campaign_id, member_id in HEADER.findall(path.read_text()):
            if int(campaign_id) == campaign.pk:
                found[int(member_id)] += 1
    return found


def check_exactly_once(campaign, mail_dir):
    found = copies(mail_dir, campaign)
    insiders = set(User.objects.filter(username__startswith="in").values_list("pk", flat=True))
    assert len(insiders) == INSIDERS
    duplicated = sum(n - 1 for n in found.values() if n > 1)
    strangers = set(found) - insiders
    missing = insiders - set(found)
    sent_at = sorted(
        MarketingDelivery.objects.filter(campaign=campaign, status="sent").values_list(
            "sent_at", flat=True
        )
    )
    seconds = (sent_at[-1] - sent_at[0]).total_seconds() if len(sent_at) > 1 else 0
    figures = {
        "sent": sum(found.values()),
        "recipients": len(found),
        "duplicated": duplicated,
        "strangers": len(strangers),
        "missing": len(missing),
        "emails_per_second": round(len(sent_at) / seconds, 1) if seconds else None,
    }
    print(f"\nFIGURES {campaign.pk}: {figures}")
    assert duplicated == 0
    assert not strangers  # no e-mail to anyone without consent or outside the segment
    assert not missing
    assert all(n == 1 for n in found.values())
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.SENT and campaign.finished_at
    assert (campaign.recipients, campaign.sent, campaign.failed, campaign.skipped) == (
        INSIDERS,
        INSIDERS,
        0,
        0,
    )
    return figures


def wait_until_sent(campaign, timeout=90):
    wait_for(
        lambda: EmailCampaign.objects.filter(pk=campaign.pk, status="sent").exists(),
        "the campaign to be sent",
        timeout=timeout,
    )


def test_a_campaign_to_2000_members_sends_exactly_one_e_mail_to_each_consenting_insider(
    campaign, tmp_path, redis_url
):
    queue = queue_name()
    worker = Worker(queue=queue, broker=redis_url, tmp=tmp_path, env=WORKER_ENV).start()
    try:
        with sending_to(queue, redis_url):
            started = time.monotonic()
            assert campaign_send(campaign=campaign, actor=editor()) == INSIDERS
            wait_until_sent(campaign)
            print(f"\nclean run: all sent {time.monotonic() - started:.1f}s after Send")
    finally:
        worker.stop()
    check_exactly_once(campaign, tmp_path / "mail")


def test_a_worker_killed_half_way_and_restarted_still_sends_exactly_one_each(
    campaign, tmp_path, redis_url
):
    queue = queue_name()
    pause = tmp_path / "pause"
    first = Worker(
        queue=queue,
        broker=redis_url,
        tmp=tmp_path,
        env={**WORKER_ENV, "COCREA_MAIL_PAUSE": str(pause)},
    ).start()
    second = Worker(queue=queue, broker=redis_url, tmp=tmp_path, env=WORKER_ENV)
    mail_dir = tmp_path / "mail"
    try:
        with sending_to(queue, redis_url):
            campaign_send(campaign=campaign, actor=editor())
            sent = MarketingDelivery.objects.filter(campaign=campaign, status="sent")
            wait_for(lambda: sent.count() >= KILL_AFTER, f"{KILL_AFTER} e-mails", timeout=90)
            # Hold the next hand-over: the worker has the delivery locked and its transaction
            # open; SIGKILL it right there.
            pause.write_text("hold")
            wait_for(lambda: Path(f"{pause}.sending").exists(), "the worker to be sending")
            first.kill()
            pause.unlink()
            before = sum(copies(mail_dir, campaign).values())
            statuses = Counter(
                MarketingDelivery.objects.filter(campaign=campaign).values_list("status", flat=True)
            )
            print(f"\nkilled after {before} e-mails; {dict(statuses)}")
            # Every e-mail in the files is recorded sent; the one being handed over is queued.
            assert KILL_AFTER <= before < INSIDERS
            assert statuses == {"sent": before, "pending": INSIDERS - before}
            assert EmailCampaign.objects.get(pk=campaign.pk).status == "sending"
            second.start()  # resumes the campaign as it starts (worker_ready)
            wait_until_sent(campaign)
    finally:
        first.stop()
        second.stop()
    check_exactly_once(campaign, mail_dir)
