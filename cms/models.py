from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import AbstractGroupApprovalTask, Page
from wagtail.search import index

from core.locales import (
    ActiveLanguageURLMixin,
    children_of_translations,
    default_locale_id,
    localized,
)
from segments.audience import AudienceMixin, visible_pages

from . import home
from .blocks import BodyBlock, LinkBlock, SocialLinkBlock
from .selectors import latest_articles


class HomePage(ActiveLanguageURLMixin, Page):
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
        try:
            return self._route(request, path_components)
        except Http404:
            # A page not translated yet is served from the default language's tree: at
            # /es/campaigns/branch/ the English campaign, in the Spanish interface (as before
            # the Spanish tree existed), rather than a 404.
            source = self._default_language_home()
            if source is None:
                raise
            return source._route(request, path_components)

    def _route(self, request, path_components):
        # Hot paths registered by the apps below the home page (campaigns: one query for
        # /<index>/<campaign>/… instead of one per tree level).
        found = home.fast_route(self, request, path_components)
        if found is not None:
            return found
        return super().route(request, path_components)

    def _default_language_home(self):
        default = default_locale_id()
        if default is None or self.locale_id == default:
            return None
        return HomePage.objects.filter(
            translation_key=self.translation_key, locale_id=default
        ).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(home.context(request))
        context["latest_articles"] = latest_articles(request.user)
        return context


class StandardPage(ActiveLanguageURLMixin, AudienceMixin, Page):
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


class ArticleIndexPage(ActiveLanguageURLMixin, Page):
    """News and announcements: lists the articles the visitor may see, newest first."""

    intro = models.TextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count = 1
    template = "pages/article_index_page.html"
    per_page = 12

    class Meta:
        verbose_name = _("article index")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        articles = visible_pages(
            children_of_translations(localized(ArticlePage.objects.live().public()), self)
            .select_related("image")
            .order_by("-date", "-pk"),
            request.user,
        )
        context["articles"] = Paginator(articles, self.per_page).get_page(request.GET.get("page"))
        return context


class ArticlePage(ActiveLanguageURLMixin, AudienceMixin, Page):
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

    @property
    def reading_minutes(self):
        """Minutes to read the summary and body at about 200 words a minute (at least 1)."""
        from django.utils.html import strip_tags

        words = len(self.summary.split())
        # The raw JSON: no chooser lookups (images, pages), so lists stay at one query.
        for block in self.body.raw_data:
            if block["type"] in ("paragraph", "heading", "quote"):
                words += len(strip_tags(str(block["value"])).split())
        return max(1, round(words / 200))


@register_setting(icon="list-ul")
class SiteChrome(BaseSiteSetting):
    """The header navigation and the footer of a site, edited under Settings. Read through
    `cms.selectors.site_chrome` (cached; one query when the cache is cold)."""

    navigation = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("navigation"),
        help_text=_("Links in the header, in this order. Empty: Campaigns, Roadmap and Changelog."),
    )
    footer_text = models.TextField(_("footer text"), blank=True)
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("footer links"))
    social_links = StreamField(
        [("social", SocialLinkBlock())], blank=True, verbose_name=_("social links")
    )

    edit_handler = TabbedInterface(
        [
            ObjectList([FieldPanel("navigation")], heading=_("Navigation")),
            ObjectList(
                [FieldPanel("footer_text"), FieldPanel("footer_links"), FieldPanel("social_links")],
                heading=_("Footer"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("navigation and footer")
        verbose_name_plural = _("navigation and footer")


class SecondEditorApprovalTask(AbstractGroupApprovalTask):
    """A group approval in which the member who submitted the page cannot approve it: a second
    person of the group has to (the "Article approval" workflow uses it)."""

    def _submitted_by(self, obj, user):
        state = getattr(obj, "current_workflow_state", None)
        return state is not None and state.requested_by_id == user.pk

    def get_actions(self, obj, user):
        if self._submitted_by(obj, user) and not user.is_superuser:
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if (
            action_name == "approve"
            and not user.is_superuser
            and task_state.workflow_state.requested_by_id == user.pk
        ):
            raise PermissionDenied("The editor who submitted a page cannot approve it.")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states if user.is_superuser else states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("Another member of the chosen groups approves (not the one who submitted)")

    class Meta:
        verbose_name = _("second-editor approval task")
        verbose_name_plural = _("second-editor approval tasks")
