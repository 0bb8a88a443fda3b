"""Who may flag, decide and appeal (see docs/permissions.md, “Moderation”). Moderators are
`members.permissions.can_moderate`; there is no other moderator test."""

from django.utils.translation import gettext as _

from core.permissions import ALLOWED, Decision
from members.permissions import can_moderate
from segments.audience import can_see_idea

__all__ = ["can_appeal", "can_flag", "can_moderate", "can_see_queue"]


def can_see_queue(user):
    return can_moderate(user)


def can_flag(user, idea, *, author_id):
    """A signed-in, active member, on a public idea (or a comment of one) they may see, and not
    on their own content."""
    if not (user and user.is_authenticated):
        return Decision(False, _("Sign in to report content."))
    if not user.is_active:
        return Decision(False, _("Your account is not active."))
    if idea.status != idea.Status.PUBLISHED or not can_see_idea(user, idea):
        return Decision(False, _("This content is not available."))
    if author_id == user.pk:
        return Decision(False, _("You cannot report your own content."))
    return ALLOWED


def can_appeal(user, decision):
    if not (user and user.is_authenticated and user.is_active):
        return Decision(False, _("Sign in to appeal."))
    if decision.case.author_id != user.pk:
        return Decision(False, _("Only the author can appeal a decision on their content."))
    if not decision.is_appealable:
        return Decision(False, _("This decision cannot be appealed."))
    return ALLOWED
