"""The one delivery mechanism (core.outbox), whatever the channel: a delivery is sent at most
once, only when due, retried with the channel's backoff until its last attempt, skipped or
failed at once when told so, and swept up when left behind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import outbox
from notifications.models import EmailDelivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self):
        self.sent, self.outcomes = [], []

    def __call__(self, delivery):
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if isinstance(outcome, Exception):
            raise outcome
        self.sent.append(delivery.pk)


@pytest.fixture
def channel():
    recorder = Recorder()
    done = []
    spec = outbox.register(
        outbox.Channel(
            name="test",
            model=EmailDelivery,
            send=recorder,
            max_attempts=3,
            backoff=outbox.exponential(10),
            done=done.append,
        )
    )
    spec.recorder, spec.finished = recorder, done
    yield spec
    outbox._channels.pop("test")


def delivery(**fields):
    return EmailDelivery.objects.create(
        key=f"test:{EmailDelivery.objects.count()}", recipient=UserFactory(), **fields
    )


def test_a_delivery_is_sent_once_and_never_again(channel):
    row = delivery()
    assert outbox.deliver("test", row.pk) == "sent"
    assert outbox.deliver("test", row.pk) is None
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("sent", 1, "")
    assert row.sent_at is not None and channel.recorder.sent == [row.pk]
    assert [d.pk for d in channel.finished] == [row.pk]


def test_a_failed_attempt_waits_for_its_backoff_then_fails_after_the_last(channel):
    row = delivery()
    channel.recorder.outcomes = [ConnectionError("down")] * 3
    assert outbox.deliver("test", row.pk) == "pending"
    row.refresh_from_db()
    assert row.attempts == 1 and "ConnectionError: down" in row.error
    assert 8 < (row.next_attempt_at - timezone.now()).total_seconds() <= 10
    assert outbox.deliver("test", row.pk) is None  # not due yet: nothing is attempted
    EmailDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver("test", row.pk) == "pending"
    row.refresh_from_db()
    assert 18 < (row.next_attempt_at - timezone.now()).total_seconds() <= 20  # 10 s, then 20 s
    EmailDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver("test", row.pk) == "failed"
    assert channel.recorder.sent == [] and EmailDelivery.objects.get(pk=row.pk).attempts == 3


def test_skip_and_give_up_end_a_delivery_at_once(channel):
    skipped, refused = delivery(), delivery()
    channel.recorder.outcomes = [outbox.Skip("nothing to send"), outbox.GiveUp("refused")]
    assert outbox.deliver("test", skipped.pk) == "skipped"
    assert outbox.deliver("test", refused.pk) == "failed"
    skipped.refresh_from_db()
    refused.refresh_from_db()
    assert (skipped.attempts, skipped.error) == (0, "nothing to send")
    assert (refused.attempts, refused.error) == (1, "refused")


def test_the_sweep_queues_only_what_is_due_and_was_left_behind(
    channel, django_capture_on_commit_callbacks
):
    old = timezone.now() - timedelta(minutes=5)
    left_behind = delivery(next_attempt_at=old)
    just_written = delivery()  # probably still on its way to a worker
    later = delivery(next_attempt_at=timezone.now() + timedelta(hours=1))
    done = delivery(next_attempt_at=old, status="sent")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep(only={"test"}) == {"test": 1}
    assert channel.recorder.sent == [left_behind.pk]
    for row in (just_written, later, done):
        row.refresh_from_db()
        assert row.attempts == 0


def test_a_broker_that_is_down_never_fails_the_caller(channel, monkeypatch, caplog):
    from core.tasks import deliver

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(deliver, "apply_async", broker_down)
    row = delivery()
    assert outbox.enqueue("test", row.pk) is False
    assert "left for the sweep" in caplog.text
    row.refresh_from_db()
    assert row.status == "pending"
