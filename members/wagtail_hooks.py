"""Registration only: the views live in members.admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .admin import MemberViewSet, SuspendedMemberViewSet
from .services import LIFT_ACTION, SUSPEND_ACTION


@hooks.register("register_admin_viewset")
def register_member_directory():
    return MemberViewSet("member_directory")


@hooks.register("register_admin_viewset")
def register_suspended_members():
    return SuspendedMemberViewSet("suspended_members")


@hooks.register("register_log_actions")
def register_suspension_actions(actions):
    actions.register_action(SUSPEND_ACTION, _("Suspend member"), _("Member suspended"))
    actions.register_action(LIFT_ACTION, _("Lift suspension"), _("Suspension lifted"))
