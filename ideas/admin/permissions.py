"""Who may use the triage admin: Django model permissions (granted to the Product team group by
migration) *and* `ideas.permissions.can_move_idea`. Every view checks it, not only the menu."""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from ..models import Idea
from ..permissions import can_move_idea


class IdeaTriagePolicy(ModelPermissionPolicy):
    """An editor given `change_idea` by mistake still cannot triage."""

    def user_has_permission(self, user, action):
        return bool(can_move_idea(user)) and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return bool(can_move_idea(user)) and super().user_has_any_permission(user, actions)


def idea_policy():
    return policy_registry.get_by_type(Idea)


def require_triage(user, action="change"):
    if not idea_policy().user_has_permission(user, action):
        raise PermissionDenied


def can_see_ideas(user):
    return idea_policy().user_has_any_permission(user, ["view", "change"])
