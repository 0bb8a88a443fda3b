"""Registration only: the views live in mailings.admin_views."""

from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from cms.models import ArticlePage

from .admin_views import admin_urls, can, new_campaign_url


@hooks.register("register_admin_urls")
def register_mailings_urls():
    return [
        path("mailings/", include((admin_urls(), "mailings_admin"), namespace="mailings_admin"))
    ]


class CampaignsMenuItem(MenuItem):
    def is_shown(self, request):
        return can(request.user, "view")


@hooks.register("register_admin_menu_item")
def register_campaigns_menu_item():
    return CampaignsMenuItem(
        _("E-mail campaigns"), reverse("mailings_admin:index"), icon_name="mail", order=260
    )


class SendByEmailButton(PageMenuItem):
    """ "Send by e-mail" on a live article, in its header and in page listings."""

    label = _("Send by e-mail")
    icon_name = "mail"

    @cached_property
    def url(self):
        return new_campaign_url(self.page)

    def is_shown(self, user):
        specific = self.page.specific_class
        return (
            specific is not None
            and issubclass(specific, ArticlePage)
            and self.page.live
            and can(user, "add")
        )


@hooks.register("register_page_header_buttons")
def article_header_send_button(page, user, view_name=None, next_url=None):
    yield SendByEmailButton(page=page, priority=55)


@hooks.register("register_page_listing_more_buttons")
def article_listing_send_button(page, user, next_url=None):
    yield SendByEmailButton(page=page, priority=45)
