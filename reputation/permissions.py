"""Who may mark comments helpful (see docs/permissions.md)."""

from django.utils.translation import gettext as _

from core.permissions import ALLOWED, Decision
from ideas.models import Idea
from ideas.permissions import can_view_idea
from segments.audience import can_see_idea


def can_mark_helpful(user, comment):
    """The product team (and superusers) mark comments helpful, on ideas they may see."""
    if not user.is_authenticated or not user.is_active:
        return Decision(False, _("Sign in as a member of the product team."))
    if not (user.is_superuser or user.is_team):
        return Decision(False, _("Only the product team can mark comments helpful."))
    if comment.content_type.app_label != "ideas" or comment.content_type.model != "idea":
        return Decision(False, _("Only comments on ideas can be marked helpful."))
    idea = Idea.objects.filter(pk=comment.object_pk).select_related("campaign").first()
    if idea is None or not can_view_idea(user, idea) or not can_see_idea(user, idea):
        return Decision(False, _("This idea is not available."))
    if not comment.is_public or comment.is_removed:
        return Decision(False, _("This comment is not shown, so it cannot be marked helpful."))
    return ALLOWED
