"""The outbox. Every change that someone may hear about writes an `Event` row in the same
transaction as the change; after commit the worker is asked to process it. If Redis or the
worker is down at that moment, nothing is lost: `ideas.tasks.outbox_sweep` (Celery beat, and
each worker at start-up) finds unprocessed rows and processes them."""

import logging
from functools import partial

from django.db import transaction

from .models import Event

log = logging.getLogger(__name__)


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
