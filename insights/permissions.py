from django.utils.translation import gettext as _

from core.permissions import ALLOWED, Decision

COMMUNITY_MANAGERS_GROUP = "Community managers"  # created by insights/migrations/0002


def can_view_insights(user) -> Decision:
    """The dashboard: community managers, the product team (who watch the KPIs, PRODUCT.md)
    and superusers."""
    if not user.is_authenticated or not user.is_active:
        return Decision(False, _("Please sign in."))
    if user.is_superuser or user.is_team:
        return ALLOWED
    if user.groups.filter(name=COMMUNITY_MANAGERS_GROUP).exists():
        return ALLOWED
    return Decision(False, _("Only community managers and the product team may see the dashboard."))
