"""The event bus. A producer records what happened (e.g. `ideas.events.record_event`, in the
same transaction as the change) and knows nothing of who listens; consumers subscribe in their
`AppConfig.ready` (notifications, webhooks…), as adhocracy4's actions do. The worker that
processes an event calls every subscriber inside the event's transaction, so what they write
(notifications, deliveries) exists exactly once per event."""

_subscribers = {}


def subscribe(name, handler):
    """Register `handler(event)`; `name` makes registering twice (a reloaded app) harmless."""
    _subscribers[name] = handler


def subscribers():
    return list(_subscribers.items())


def fan_out(event):
    """Call every subscriber with `event`; returns {name: what each returned}."""
    return {name: handler(event) for name, handler in subscribers()}
