"""Webhook fan-out and delivery. `event_fan_out(event)` is called by the outbox worker."""


def event_fan_out(event):
    """Create one delivery per active endpoint subscribed to `event.kind` and queue them."""
    return 0


def sweep():
    """Queue deliveries that are due (first attempts left behind, retries after backoff)."""
    return 0
