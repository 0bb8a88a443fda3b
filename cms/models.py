from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class HomePage(Page):
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("tagline"), index.SearchField("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # Hot path: /<index>/<campaign>/… is found with one query instead of one per level.
        if len(path_components) >= 2:
            from campaigns.models import CampaignPage

            url_path = f"{self.url_path}{path_components[0]}/{path_components[1]}/"
            campaign = CampaignPage.objects.filter(url_path=url_path).first()
            if campaign is not None:
                return campaign.route(request, path_components[2:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from campaigns.models import Phase
        from campaigns.selectors import campaigns_live

        context = super().get_context(request, *args, **kwargs)
        campaigns = list(campaigns_live())
        context["open_campaigns"] = [c for c in campaigns if c.phase in (Phase.OPEN, Phase.VOTING)]
        context["upcoming_campaigns"] = [c for c in campaigns if c.phase == Phase.UPCOMING]
        return context


class StandardPage(Page):
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
