"""Who may do what to members and their content (see docs/permissions.md)."""

from .models import MODERATORS_GROUP


def can_moderate(user) -> bool:
    """Moderators review flagged and held content and suspend members: the Moderators group,
    the product team and superusers."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.is_team:
        return True
    cached = getattr(user, "_can_moderate", None)
    if cached is None:
        cached = user._can_moderate = user.groups.filter(name=MODERATORS_GROUP).exists()
    return cached
