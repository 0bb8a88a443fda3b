"""What moderation hears from the apps below it."""

from .services import case_hold


def content_held_record(sender, instance, reason, **kwargs):
    """`ideas.signals.content_held`: an idea or comment was held as it was written."""
    case_hold(item=instance, reason=reason)
