from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReputationConfig(AppConfig):
    name = "reputation"
    verbose_name = _("Reputation")

    def ready(self):
        from campaigns import routes
        from core import events
        from ideas import hooks
        from members import profile

        from . import receivers, selectors, views

        events.subscribe("reputation", receivers.event_points, order=10)
        hooks.register_page_context("reputation", selectors.page_context)
        hooks.register_workspace_context("reputation", selectors.workspace_context)
        profile.register_context("reputation", selectors.profile_context)
        routes.register(
            "ideas/<int:idea_id>/comments/<int:comment_id>/helpful/",
            views.comment_helpful,
            "comment_helpful",
        )
        routes.register("leaderboard/", views.leaderboard, "leaderboard")
