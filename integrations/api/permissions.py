from rest_framework.permissions import BasePermission

from ideas.permissions import can_move_idea


class CanMoveIdeas(BasePermission):
    """Triage through the API is for the product team, as in the admin (`can_move_idea`).
    Anonymous callers get 401 (the view asks for a token); other members get 403."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        decision = can_move_idea(request.user)
        if not decision:
            self.message = decision.reason
        return bool(decision)
