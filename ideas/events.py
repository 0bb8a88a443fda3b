"""The producer side of the event bus. Every change that someone may hear about writes an
`Event` row in the same transaction as the change; after commit a worker is asked to process it
(`ideas.tasks.process_event`, which calls the subscribers of `core.events`). If Redis or the
worker is down at that moment, nothing is lost: the outbox sweep (Celery beat, and each worker
at start-up) finds unprocessed rows through `sweep_events`. This app knows nothing of who
listens."""

import logging
from functools import partial

from django.db import transaction

from .models import Event

log = logging.getLogger(__name__)
SWEEP_LIMIT = 1000


def record_event(kind, *, idea, actor=None, stage_change=None, comment_id=None, data=None):
    event = Event.objects.create(
        kind=kind,
        idea=idea,
        actor=actor if actor is not None and actor.is_authenticated else None,
        stage_change=stage_change,
        comment_id=comment_id,
        data=data or {},
    )
    transaction.on_commit(partial(dispatch_event, event.pk))
    return event


def dispatch_event(event_id):
    """Ask a worker to process the event. Never fails the request: the sweep is the safety net."""
    from .tasks import process_event

    try:
        process_event.apply_async(args=[event_id], retry=False)
    except Exception:
        log.exception("outbox: event %s left for the sweep", event_id)
        return False
    return True


def sweep_events(due_before):
    """Queue events still unprocessed since before `due_before` (registered with the outbox
    sweep in `apps.py`). Returns how many."""
    pending = list(
        Event.objects.filter(processed_at__isnull=True, created_at__lte=due_before)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    return sum(1 for event_id in pending if dispatch_event(event_id))
