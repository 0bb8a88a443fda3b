from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        from campaigns import routes
        from cms import search
        from core import outbox
        from members import profile
        from segments.rules import register_activity

        from . import activity, events, signals, views  # noqa: F401 — signals connect
        from .admin import listcache, sidebarcache

        listcache.connect()
        sidebarcache.connect()

        routes.register("", views.idea_list, "idea_list")
        routes.register("submit/", views.idea_submit, "idea_submit")
        routes.register("similar/", views.similar_ideas, "similar_ideas")
        routes.register("ideas/<int:idea_id>/", views.idea_detail, "idea_detail")
        routes.register("ideas/<int:idea_id>/edit/", views.idea_edit, "idea_edit")
        routes.register("ideas/<int:idea_id>/withdraw/", views.idea_withdraw, "idea_withdraw")
        routes.register("ideas/<int:idea_id>/follow/", views.idea_follow, "idea_follow")

        outbox.register_sweeper("events", events.sweep_events)
        register_activity("ideas", count=activity.ideas_count, since=activity.ideas_since)
        register_activity("comments", count=activity.comments_count, since=activity.comments_since)
        profile.register_context("ideas", activity.member_profile_context)
        search.register("ideas", activity.search_results)
