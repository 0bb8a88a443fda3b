"""Registration only: the queue's URLs and menu item, the reasons snippet, the log actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import ModerationReason
from .permissions import can_see_queue


class ModerationReasonViewSet(SnippetViewSet):
    model = ModerationReason
    icon = "warning"
    menu_label = _("Moderation reasons")
    list_display = ["label", "code", "order", "active"]


register_snippet(ModerationReasonViewSet)


@hooks.register("register_admin_urls")
def register_queue_urls():
    urls = [
        path("", admin_views.queue_view, name="queue"),
        path("decide/", admin_views.decide_view, name="decide"),
        path("appeals/<int:appeal_id>/", admin_views.appeal_view, name="appeal"),
        path("cases/<int:case_id>/history/", admin_views.history_view, name="history"),
    ]
    return [path("moderation/", include((urls, "moderation_admin"), namespace="moderation_admin"))]


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_queue(request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return QueueMenuItem(
        _("Moderation"), reverse("moderation_admin:queue"), icon_name="warning", order=252
    )


ACTIONS = {
    "auto_hide": (_("Hidden by flags"), _("Hidden pending review: %(flags)s members flagged it")),
    "approve": (_("Approved"), _("Approved by a moderator")),
    "reject": (_("Rejected"), _("Rejected by a moderator")),
    "hide": (_("Hidden"), _("Hidden by a moderator")),
    "restore": (_("Restored"), _("Restored by a moderator")),
    "appeal": (_("Appealed"), _("The author appealed the decision")),
    "uphold": (_("Appeal upheld"), _("The appeal was rejected: the decision stands")),
    "overturn": (_("Appeal overturned"), _("The appeal was accepted: the decision is reversed")),
}


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    for name, (label, message) in ACTIONS.items():

        class Formatter(LogFormatter):
            def format_message(self, log_entry, message=message):
                return str(message) % {"flags": log_entry.data.get("flags", "")}

            def format_comment(self, log_entry):
                data = log_entry.data or {}
                parts = [data.get("reason_label", ""), data.get("note", "")]
                return " — ".join(p for p in parts if p)

        Formatter.label = label
        actions.register_action(f"cocrea_moderation.{name}")(Formatter)
