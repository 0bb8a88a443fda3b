"""Registration only: the triage admin lives in the `ideas.admin` package."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin.bulk_actions import (
    AssignBulkAction,
    ExportBulkAction,
    MoveBulkAction,
    TagBulkAction,
)
from .admin.permissions import IdeaTriagePolicy, can_see_ideas
from .admin.viewsets import IdeaViewSet, StageViewSet, stage_delete_refusal
from .models import Idea, Stage

# Registered before anything asks for the policy of Idea (see wagtail.permissions).
register_permission_policy(Idea, IdeaTriagePolicy(Idea))

register_snippet(StageViewSet)


@hooks.register("register_admin_viewset")
def register_idea_viewset():
    return IdeaViewSet("ideas")


class BoardMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_ideas(request.user)


@hooks.register("register_admin_menu_item")
def register_board_menu_item():
    return BoardMenuItem(_("Idea board"), reverse("ideas:board"), icon_name="table", order=251)


@hooks.register("before_delete_snippet")
def refuse_deleting_stages_in_use(request, instances):
    refusals = [
        reason
        for reason in (stage_delete_refusal(s) for s in instances if isinstance(s, Stage))
        if reason
    ]
    if refusals:
        for reason in refusals:
            messages.error(request, reason)
        return redirect("wagtailsnippets_ideas_stage:list")


for bulk_action in (MoveBulkAction, AssignBulkAction, TagBulkAction, ExportBulkAction):
    hooks.register("register_bulk_action", bulk_action)
