from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from members.audience import AudienceMixin

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


class StandardPage(AudienceMixin, Page):
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


class ArticleIndexPage(Page):
    """News and announcements: lists the articles the visitor may see, newest first."""

    intro = models.TextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count = 1
    template = "pages/article_index_page.html"

    class Meta:
        verbose_name = _("article index")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from members.audience import visible_pages

        context = super().get_context(request, *args, **kwargs)
        articles = visible_pages(
            ArticlePage.objects.live().public().child_of(self).order_by("-date", "-pk"),
            request.user,
        )
        context["articles"] = Paginator(articles, 12).get_page(request.GET.get("page"))
        return context


class ArticlePage(AudienceMixin, Page):
    """A news item or announcement, optionally for chosen segments only."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.CharField(
        _("summary"), max_length=240, blank=True, help_text=_("Shown in lists and e-mails.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types = []
    template = "pages/article_page.html"

    class Meta:
        verbose_name = _("article")
        ordering = ["-date", "-pk"]
