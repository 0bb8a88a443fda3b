from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from django.db.models import Count, Exists, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        from campaigns import routes
        from ideas import hooks
        from segments.rules import register_activity

        from . import selectors, signals, views  # noqa: F401 — signals connect
        from .models import Vote

        routes.register("ideas/<int:idea_id>/vote/", views.vote, "idea_vote")
        hooks.register_page_context("voting", selectors.page_context)
        hooks.register_board_context("voting", selectors.board_context)
        hooks.register_merge_preview("voting", selectors.merge_preview)
        hooks.register_workspace_context("voting", selectors.workspace_context)

        def votes_count():
            rows = Vote.objects.filter(member=OuterRef("pk")).order_by().values("member")
            return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

        register_activity(
            "votes",
            count=votes_count,
            since=lambda cutoff: Exists(
                Vote.objects.filter(member=OuterRef("pk"), created_at__gte=cutoff)
            ),
        )
