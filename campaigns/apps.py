from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from cms import home as cms_home

        from . import home, signals

        cms_home.register_context("campaigns", home.home_context)
        cms_home.register_fast_route("campaigns", home.fast_route)
        signals.connect()
