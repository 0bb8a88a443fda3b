"""The event bus. A producer records what happened (e.g. `ideas.events.record_event`, in the
same transaction as the change) and knows nothing of who listens; consumers subscribe in their
`AppConfig.ready` (notifications, webhooks…), as adhocracy4's actions do. The worker that
processes an event calls every subscriber inside the event's transaction, so what they write
(notifications, deliveries) exists exactly once per event."""

_subscribers = {}


def subscribe(name, handler, *, order=100):
    """Register `handler(event)`; `name` makes registering twice (a reloaded app) harmless.
    Subscribers run by `order`, then by name: one order for every event keeps the rows they
    lock in one order too (reputation, 10, takes a member's points row before notifications
    take the member's row, as a vote does: no deadlock between a vote and an event)."""
    _subscribers[name] = (order, handler)


def subscribers():
    ordered = sorted(_subscribers.items(), key=lambda item: (item[1][0], item[0]))
    return [(name, handler) for name, (_order, handler) in ordered]


def fan_out(event):
    """Call every subscriber with `event`; returns {name: what each returned}."""
    return {name: handler(event) for name, handler in subscribers()}
