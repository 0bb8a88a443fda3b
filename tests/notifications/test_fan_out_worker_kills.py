"""A stage move heard by 1,000 followers goes out in batches over one mail connection; the worker
is SIGKILLed five times while it sends, and still every follower gets the e-mail exactly once
(counted by the `X-Cocrea-Delivery` header in the files the mail backend writes)."""

import pytest

from ideas.models import Stage
from ideas.services import follows_add, idea_move
from members.models import User
from notifications.models import EmailDelivery
from tests.factories import IdeaFactory, UserFactory, ensure_baseline
from tests.support.mail import delivered
from tests.support.worker import Worker, queue_name, sending_to, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FOLLOWERS = 1000
KILLS = 5


def test_a_fan_out_to_1000_followers_survives_five_worker_kills(tmp_path, redis_url):
    ensure_baseline()
    idea = IdeaFactory()
    team = UserFactory(is_team=True, is_staff=True)
    followers = User.objects.bulk_create(
        User(username=f"follower{n}", email=f"follower{n}@example.com") for n in range(FOLLOWERS)
    )
    follows_add(pairs=[(idea.pk, member.pk) for member in followers])
    mail, pause, sending = tmp_path / "mail", tmp_path / "pause", tmp_path / "pause.sending"
    queue = queue_name()

    def new_worker():
        return Worker(
            queue=queue, broker=redis_url, tmp=tmp_path, env={"COCREA_MAIL_PAUSE": str(pause)}
        ).start()

    worker = new_worker()
    kills = 0
    try:
        with sending_to(queue, redis_url):
            idea_move(idea=idea, to_stage=Stage.objects.get(slug="planned"), actor=team)
            for kills in range(1, KILLS + 1):
                # Let it send a share of the e-mails, then stop it in the middle of the next one
                # (the row is claimed and locked, the message not yet handed over) and kill it.
                share = kills * FOLLOWERS // (KILLS + 2)
                wait_for(lambda s=share: sum(delivered(mail).values()) >= s, "e-mails going out")
                pause.write_text("hold")
                wait_for(sending.exists, "the worker to be sending")
                worker.kill()
                sending.unlink()
                pause.unlink()
                worker = new_worker()  # sweeps the outbox as it starts
            wait_for(
                lambda: EmailDelivery.objects.filter(status="sent").count() == FOLLOWERS,
                "every e-mail after the last kill",
                timeout=180,
            )
    finally:
        worker.stop()
    assert kills == KILLS
    deliveries = set(EmailDelivery.objects.values_list("key", flat=True))
    assert len(deliveries) == FOLLOWERS
    copies = delivered(mail)
    assert set(copies) == deliveries, "an e-mail was lost"
    assert max(copies.values()) == 1, "an e-mail was sent twice"
    # The e-mails shared connections: far fewer mail files than e-mails.
    assert len(list(mail.iterdir())) < FOLLOWERS / 10
