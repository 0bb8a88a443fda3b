import math

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock
from segments.audience import AudienceMixin

from . import routes


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for ideas")
    VOTING = "voting", _("Voting")
    CLOSED = "closed", _("Closed")


class CampaignIndexPage(Page):
    intro = models.TextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["campaigns.CampaignPage"]
    template = "pages/campaign_index_page.html"
    max_count = 1

    class Meta:
        verbose_name = _("campaign index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import campaigns_for_index

        context = super().get_context(request, *args, **kwargs)
        context["groups"] = campaigns_for_index(user=request.user, parent=self)
        return context


class CampaignPage(AudienceMixin, RoutablePageMixin, Page):
    """A themed, time-boxed call for ideas."""

    class Moderation(models.TextChoices):
        PUBLISH = "publish", _("Publish at once")
        HOLD = "hold", _("Hold for review")

    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("intro"))
    summary = models.CharField(
        _("summary"), max_length=240, blank=True, help_text=_("One line shown on campaign cards.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    submission_opens_at = models.DateTimeField(_("ideas open"))
    submission_closes_at = models.DateTimeField(
        _("ideas close"), null=True, blank=True, help_text=_("Leave empty for no end.")
    )
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(
        _("voting closes"), null=True, blank=True, help_text=_("Leave empty for no end.")
    )
    vote_budget = models.PositiveIntegerField(
        _("vote budget"),
        default=0,
        help_text=_("How many ideas a member may vote for in this campaign. 0 means unlimited."),
    )
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISH
    )
    new_member_held_posts = models.PositiveSmallIntegerField(
        _("hold new members' first posts"),
        default=0,
        help_text=_(
            "Ideas and comments of a member are held for review until this many of their "
            "posts were published. 0: as the site's content rules say."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("submission_opens_at"), FieldPanel("submission_closes_at")]
                ),
                FieldRowPanel([FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")]),
            ],
            heading=_("Phases"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("vote_budget"),
                FieldPanel("moderation"),
                FieldPanel("new_member_held_posts"),
            ],
            heading=_("Rules"),
        ),
        InlinePanel("categories", label=_("Categories")),
        FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("intro")]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = []
    template = "pages/campaign_page.html"

    class Meta:
        verbose_name = _("campaign")

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.submission_closes_at
            and self.submission_opens_at
            and (self.submission_closes_at <= self.submission_opens_at)
        ):
            errors["submission_closes_at"] = _("Ideas must close after they open.")
        if (
            self.voting_closes_at
            and self.voting_opens_at
            and (self.voting_closes_at <= self.voting_opens_at)
        ):
            errors["voting_closes_at"] = _("Voting must close after it opens.")
        if errors:
            raise ValidationError(errors)

    # Phases -------------------------------------------------------------------------------

    def submission_is_open(self, now=None):
        now = now or timezone.now()
        return self.submission_opens_at <= now and (
            self.submission_closes_at is None or now < self.submission_closes_at
        )

    def voting_is_open(self, now=None):
        now = now or timezone.now()
        return self.voting_opens_at <= now and (
            self.voting_closes_at is None or now < self.voting_closes_at
        )

    def phase_at(self, now=None):
        now = now or timezone.now()
        if self.submission_is_open(now):
            return Phase.OPEN
        if self.voting_is_open(now):
            return Phase.VOTING
        if now < self.submission_opens_at or now < self.voting_opens_at:
            return Phase.UPCOMING
        return Phase.CLOSED

    @cached_property
    def phase(self):
        return self.phase_at()

    @property
    def closes_at(self):
        """When the current phase ends: ideas close while submission is open, voting closes
        in the voting phase; None when it has no end or is not running."""
        phase = self.phase
        if phase == Phase.OPEN:
            return self.submission_closes_at
        if phase == Phase.VOTING:
            return self.voting_closes_at
        return None

    @property
    def days_left(self):
        """Whole days (rounded up) until the current phase ends, or None (see `closes_at`)."""
        closes_at = self.closes_at
        if closes_at is None:
            return None
        return max(math.ceil((closes_at - timezone.now()).total_seconds() / 86400), 0)

    @property
    def phase_label(self):
        return Phase(self.phase).label

    @cached_property
    def category_list(self):
        return list(self.categories.all())

    # Routes: the views live in the ideas and voting apps, which register them with
    # `campaigns.routes`; the page only serves what is registered.

    @classmethod
    def get_subpage_urls(cls):
        # Registered routes first: they include "" (the idea list), which must win over the
        # mixin's default index route.
        return (*routes.patterns(), *super().get_subpage_urls())

    @re_path(r"^ideas/(?P<idea_id>\d+)-[-\w]*/$")
    def idea_detail_slugged(self, request, idea_id):
        return redirect(
            self.url + self.reverse_subpage("idea_detail", args=[int(idea_id)]), permanent=True
        )

    def subpage_url(self, name, *args):
        return self.url + self.reverse_subpage(name, args=args)


class Category(Orderable):
    campaign = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(Orderable.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)
