"""Notification e-mails on the real stack — a Celery worker process, Redis, PostgreSQL — under
faults: each e-mail arrives exactly once, even when the worker is killed mid-delivery or Redis
is stopped while the team moves ideas."""

import re
from pathlib import Path

import pytest

from core.tasks import deliver
from ideas.models import Event, Stage
from ideas.services import follow, idea_move
from notifications.models import EmailDelivery
from tests.factories import IdeaFactory, UserFactory, ensure_baseline
from tests.support.worker import RedisServer, Worker, queue_name, sending_to, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def copies(mail_dir: Path, key: str) -> int:
    """How many messages with this delivery key were handed to the mail server."""
    if not mail_dir.exists():
        return 0
    pattern = re.compile(rf"^X-Cocrea-Delivery: {re.escape(key)}$", re.MULTILINE)
    return sum(len(pattern.findall(f.read_text())) for f in mail_dir.iterdir() if f.is_file())


@pytest.fixture
def idea_with_follower():
    ensure_baseline()
    idea = IdeaFactory()
    follow(member=idea.author, idea=idea)
    return idea, UserFactory(is_team=True, is_staff=True)


def move(idea, team, slug="planned", note="Planned for the spring release."):
    idea_move(idea=idea, to_stage=Stage.objects.get(slug=slug), actor=team, note=note)
    return EmailDelivery.objects.filter(recipient=idea.author).order_by("-pk")


def test_a_stage_change_e_mail_is_delivered_exactly_once(idea_with_follower, tmp_path, redis_url):
    idea, team = idea_with_follower
    queue = queue_name()
    worker = Worker(queue=queue, broker=redis_url, tmp=tmp_path).start()
    try:
        with sending_to(queue, redis_url):
            move(idea, team)
            delivery = wait_for(
                lambda: EmailDelivery.objects.filter(recipient=idea.author, status="sent").first(),
                "the e-mail to be sent",
            )
            # Redelivered messages and sweeps find it sent and do nothing.
            for _ in range(3):
                deliver.delay("email", delivery.pk)
            wait_for(lambda: copies(tmp_path / "mail", delivery.key) >= 1, "the mail file")
            # Give the duplicates time to be processed before counting.
            probe = UserFactory()
            follow(member=probe, idea=idea)
            move(idea, team, slug="in-progress", note="")
            wait_for(
                lambda: EmailDelivery.objects.filter(recipient=probe, status="sent").exists(),
                "a later e-mail (so the duplicates queued before it were handled)",
            )
    finally:
        worker.stop()
    assert copies(tmp_path / "mail", delivery.key) == 1
    sent = "".join(f.read_text() for f in (tmp_path / "mail").iterdir())
    assert "Planned for the spring release." in sent and idea.author.email in sent
    assert EmailDelivery.objects.get(pk=delivery.pk).attempts == 1


def test_a_worker_killed_while_sending_still_delivers_once(idea_with_follower, tmp_path, redis_url):
    idea, team = idea_with_follower
    queue = queue_name()
    pause = tmp_path / "pause"
    pause.write_text("hold")
    first = Worker(
        queue=queue, broker=redis_url, tmp=tmp_path, env={"COCREA_MAIL_PAUSE": str(pause)}
    ).start()
    second = Worker(queue=queue, broker=redis_url, tmp=tmp_path)
    try:
        with sending_to(queue, redis_url):
            deliveries = move(idea, team)
            wait_for(lambda: Path(f"{pause}.sending").exists(), "the worker to start sending")
            first.kill()
            pause.unlink()
            assert deliveries.get().status == "pending"  # the killed attempt left no trace
            second.start()  # a new worker sweeps the outbox as it starts
            delivery = wait_for(
                lambda: deliveries.filter(status="sent").first(), "the e-mail after the crash"
            )
    finally:
        first.stop()
        second.stop()
    assert copies(tmp_path / "mail", delivery.key) == 1


def test_moves_succeed_with_redis_stopped_and_mail_goes_out_when_it_is_back(
    idea_with_follower, tmp_path
):
    idea, team = idea_with_follower
    redis = RedisServer(tmp_path).start()
    queue = queue_name()
    worker = Worker(queue=queue, broker=redis.url, tmp=tmp_path, beat=True).start()
    try:
        with sending_to(queue, redis.url):
            redis.stop()
            move(idea, team)  # the team's action succeeds; the work waits in PostgreSQL
            move(idea, team, slug="in-progress", note="")
            assert Event.objects.filter(idea=idea, processed_at__isnull=True).count() == 2
            assert copies(tmp_path / "mail", "n:") == 0
            redis.start()
            wait_for(
                lambda: (
                    EmailDelivery.objects.filter(recipient=idea.author, status="sent").count() == 2
                ),
                "both e-mails after Redis came back",
                timeout=90,
            )
    finally:
        worker.stop()
        redis.stop()
    assert not Event.objects.filter(processed_at__isnull=True).exists()
    for delivery in EmailDelivery.objects.filter(recipient=idea.author):
        assert copies(tmp_path / "mail", delivery.key) == 1
