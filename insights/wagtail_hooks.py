"""Registration only: the views live in insights.views."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .permissions import can_view_insights
from .views import admin_urls


@hooks.register("register_admin_urls")
def register_insights_urls():
    return [path("insights/", include((admin_urls(), "insights"), namespace="insights"))]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(can_view_insights(request.user))


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Community dashboard"), reverse("insights:dashboard"), icon_name="view", order=240
    )
