"""Registration only: the views live in members.admin_views."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_views import MemberViewSet, SegmentsGroup

register_snippet(SegmentsGroup)


@hooks.register("register_admin_viewset")
def register_member_directory():
    return MemberViewSet("member_directory")
