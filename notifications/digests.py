"""Daily and weekly digests: every member's waiting notifications of a frequency gathered into
one e-mail delivery per member and period (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from core.outbox import enqueue_on_commit

from .fan_out import CHANNEL, frequencies
from .models import EmailDelivery, Frequency, Notification


def digest_period(frequency, now):
    if frequency == Frequency.DAILY:
        return now.date().isoformat()
    year, week, _day = now.isocalendar()
    return f"{year}-W{week:02d}"


def digests_prepare(frequency, now=None):
    """Gather every member's waiting notifications of `frequency` into one digest delivery per
    member and period (a second run in the same period adds nothing). Returns delivery ids."""
    now = now or timezone.now()
    period = digest_period(frequency, now)
    waiting = defaultdict(list)
    for pk, recipient_id, kind in Notification.objects.filter(
        email_done=False, email__isnull=True
    ).values_list("pk", "recipient_id", "kind"):
        waiting[recipient_id].append((pk, kind))
    prefs = frequencies(list(waiting))
    queued = []
    with transaction.atomic():
        for recipient_id, items in waiting.items():
            mine = [
                pk
                for pk, kind in items
                if _digest_frequency(prefs[recipient_id][kind]) == frequency
            ]
            dropped = [pk for pk, kind in items if prefs[recipient_id][kind] == Frequency.NONE]
            if dropped:
                Notification.objects.filter(pk__in=dropped).update(email_done=True)
            if not mine:
                continue
            delivery, _created = EmailDelivery.objects.get_or_create(
                key=f"digest:{recipient_id}:{frequency}:{period}",
                defaults={"recipient_id": recipient_id},
            )
            if delivery.status != EmailDelivery.Status.PENDING:
                continue  # this period's digest went out already; these wait for the next one
            Notification.objects.filter(pk__in=mine, email__isnull=True).update(email=delivery)
            queued.append(delivery.pk)
            enqueue_on_commit(CHANNEL, delivery.pk)
    return queued


def _digest_frequency(frequency):
    # Someone who switched to "right away" after the event gets it in the next daily digest.
    return Frequency.DAILY if frequency == Frequency.IMMEDIATE else frequency
