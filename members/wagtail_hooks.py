"""Registration only: the views live in members.admin."""

from wagtail import hooks

from .admin import MemberViewSet


@hooks.register("register_admin_viewset")
def register_member_directory():
    return MemberViewSet("member_directory")
