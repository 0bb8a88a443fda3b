"""Batches of the outbox (core.outbox.deliver_batch): due rows sent over one session, each in its
own transaction, once; the first failed attempt ends the batch; a full batch queues the next."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from core import outbox
from notifications.models import EmailDelivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    sessions, sent, outcomes = [], [], {}

    @contextmanager
    def session():
        sessions.append(len(sent))
        yield f"session {len(sessions)}"

    def send(row, current, prepared):
        if isinstance(outcomes.get(row.pk), Exception):
            raise outcomes[row.pk]
        sent.append((row.pk, current, prepared))

    spec = outbox.register(
        outbox.Channel(
            name="batch-test",
            model=EmailDelivery,
            send=send,
            session=session,
            prepare=lambda pks: {pk: f"message {pk}" for pk in pks},
        )
    )
    spec.sessions, spec.sent, spec.outcomes = sessions, sent, outcomes
    yield spec
    outbox._channels.pop("batch-test")


def rows(n, **fields):
    member = UserFactory()
    start = EmailDelivery.objects.count()
    return [
        EmailDelivery.objects.create(key=f"b:{start + i}", recipient=member, **fields)
        for i in range(n)
    ]


def test_a_batch_sends_every_due_row_once_over_one_session(channel):
    due = rows(5)
    later = rows(1, next_attempt_at=timezone.now() + timedelta(hours=1))
    assert outbox.deliver_batch("batch-test", limit=10) == {"sent": 5}
    assert channel.sessions == [0]
    assert channel.sent == [(d.pk, "session 1", f"message {d.pk}") for d in due]
    assert outbox.deliver_batch("batch-test", limit=10) == {}  # nothing due: nothing sent twice
    assert EmailDelivery.objects.get(pk=later[0].pk).status == "pending"


def test_the_first_failed_attempt_ends_the_batch(channel):
    first, broken, third = rows(3)
    channel.outcomes[broken.pk] = ConnectionRefusedError("mail server away")
    assert outbox.deliver_batch("batch-test", limit=10) == {"sent": 1, "pending": 1}
    broken.refresh_from_db()
    assert broken.attempts == 1 and broken.next_attempt_at > timezone.now()
    # The claim stamped it sent before sending; the failure put it back as it should be.
    assert broken.status == "pending" and broken.sent_at is None
    assert broken.error == "ConnectionRefusedError: mail server away"
    assert EmailDelivery.objects.get(pk=third.pk).attempts == 0  # left for the next batch


def test_a_full_batch_queues_the_next_one(channel, settings):
    rows(5)
    settings.OUTBOX_BATCH_SIZE = 2
    # Tasks run in-process here: the batch of 2 queues the next until none is left.
    outbox.deliver_batch("batch-test")
    assert len(channel.sent) == 5
    assert not EmailDelivery.objects.filter(status="pending").exists()


def test_nothing_to_send_is_skipped_without_counting_an_attempt(channel):
    first, empty = rows(2)
    channel.outcomes[empty.pk] = outbox.Skip("nothing left")
    assert outbox.deliver_batch("batch-test", limit=10) == {"sent": 1, "skipped": 1}
    empty.refresh_from_db()
    assert (empty.status, empty.attempts, empty.sent_at) == ("skipped", 0, None)
    first.refresh_from_db()
    assert first.status == "sent" and first.attempts == 1 and first.sent_at is not None
