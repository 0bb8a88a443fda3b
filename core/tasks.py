from celery import shared_task
from celery.signals import worker_ready

from . import outbox


@shared_task(acks_late=True, ignore_result=True)
def deliver(channel, pk):
    """Send one delivery (at most once; retries are scheduled by the outbox itself)."""
    return outbox.deliver(channel, pk)


@shared_task(acks_late=True, ignore_result=True)
def deliver_batch(channel):
    """Send a batch of due deliveries over one session (one SMTP connection): backlogs and
    large fan-outs. Each row is still sent at most once (see `outbox.deliver_batch`)."""
    return outbox.deliver_batch(channel)


@shared_task(ignore_result=True)
def outbox_sweep(at_start=False):
    """Pick up what a lost message, a stopped Redis or a killed worker left behind: run by beat
    every OUTBOX_SWEEP_SECONDS and when a worker starts."""
    return outbox.sweep(at_start=at_start)


@worker_ready.connect
def sweep_outbox_at_start(sender=None, **kwargs):
    """A worker coming back (after a crash, a deploy, Redis returning) first picks up whatever
    the outbox holds, instead of waiting for the next beat."""
    outbox_sweep.delay(at_start=True)
