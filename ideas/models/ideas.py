import math
import secrets
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from campaigns.models import CampaignPage

from .stages import Stage

TITLE_MIN, TITLE_MAX = 8, 140
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 10_000

# Trending (docs/pipeline.md, "Trending"): an idea's weight is its votes plus one, halved for
# every TRENDING_HALF_LIFE_SECONDS of age, i.e. (votes + 1) / 2 ** (age / half-life). Ordering by
# that at any moment is ordering by its logarithm plus the creation time, which does not change
# with the clock: the stored score is log2(votes + 1) + (created - epoch) / half-life, written on
# every vote and indexed. Doubling (votes + 1) is worth one half-life (two days) of recency.
TRENDING_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
TRENDING_HALF_LIFE_SECONDS = 2 * 24 * 3600

# `sort=random` (ideas.filters): every idea draws a random key once, at creation; a visitor's
# seed (carried in the URL) picks where the order starts, and the list wraps around from there.
RANDOM_KEY_MODULUS = 2**31


def new_random_key():
    return secrets.randbelow(RANDOM_KEY_MODULUS)


def rice_priority(reach, impact, confidence, effort):
    """RICE: reach × impact × confidence ÷ effort; None until all four are filled in."""
    if None in (reach, impact, confidence, effort) or not effort:
        return None
    return round(float(reach) * float(impact) * (confidence / 100) / float(effort), 2)


def trending_score(vote_count, created_at):
    """log2(votes + 1) + half-lives since the epoch: see TRENDING_HALF_LIFE_SECONDS."""
    since = (created_at - TRENDING_EPOCH).total_seconds()
    return round(math.log2(max(vote_count, 0) + 1) + since / TRENDING_HALF_LIFE_SECONDS, 7)


def idea_url(idea, campaign_url=None) -> str:
    """The one way to build an idea's address: relative to the site, the campaign page's URL
    and its `idea_detail` route ("/campaigns/savings/ideas/42/"). A list that already knows the
    campaign's URL passes it, and then needs no query at all, not even for the campaign. ""
    when the campaign is not reachable on any site."""
    if campaign_url is None:
        campaign_url = idea.campaign.url
    if not campaign_url:
        return ""
    return campaign_url + CampaignPage.get_resolver().reverse("idea_detail", idea_id=idea.pk)


class IdeaQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self):
        return self.filter(status=Idea.Status.PUBLISHED)

    def public(self):
        """Published ideas in live campaigns that anyone may see."""
        live = CampaignPage.objects.live().public().values("pk")
        return self.filter(status=Idea.Status.PUBLISHED, campaign_id__in=live)

    def not_merged(self):
        """Without the duplicates merged into another idea: the default of public lists (the
        site, the API, feeds, similar ideas). They stay reachable from their target's page, at
        their own address (with a notice) and under the Merged stage filter."""
        return self.filter(merged_into__isnull=True).exclude(stage__role=Stage.Role.MERGED)

    def for_cards(self):
        return self.select_related("author", "stage", "category").only(
            "pk",
            "campaign_id",
            "title",
            "description",
            "status",
            "created_at",
            "vote_count",
            "comment_count",
            "image",
            "author__username",
            "author__display_name",
            "author__reputation_level",
            "stage__name",
            "stage__name_translations",
            "stage__slug",
            "stage__role",
            "stage__colour",
            "stage__is_closed",
            "category__name",
            "category__name_translations",
        )


class Idea(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REJECTED = "rejected", _("Rejected by moderation")
        # Taken down after it was public (enough flags, or a moderator): see moderation/.
        HIDDEN = "hidden", _("Hidden by moderation")

    campaign = models.ForeignKey(
        "campaigns.CampaignPage", on_delete=models.CASCADE, related_name="ideas"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="ideas",
        verbose_name=_("author"),
    )
    title = models.CharField(
        _("title"), max_length=TITLE_MAX, validators=[MinLengthValidator(TITLE_MIN)]
    )
    description = models.TextField(
        _("description"),
        validators=[MinLengthValidator(DESCRIPTION_MIN), MaxLengthValidator(DESCRIPTION_MAX)],
    )
    category = models.ForeignKey(
        "campaigns.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("category"),
    )
    tags = TaggableManager(through="ideas.TaggedIdea", blank=True, verbose_name=_("tags"))
    image = models.ImageField(_("image"), upload_to="ideas/%Y/%m/", blank=True)
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="ideas")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Denormalized, kept exact by the voting and discussion write paths.
    vote_count = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    trending = models.FloatField(default=0, editable=False)
    # The title in English and Spanish (stemmed, accents folded): written by a PostgreSQL
    # trigger, GIN-indexed, read by the similar-idea search (ideas.similar). Empty on SQLite.
    # With the GIN trigram index on cocrea_unaccent(title): migration 0017.
    search_vector = SearchVectorField(null=True, editable=False)
    # Drawn once (see RANDOM_KEY_MODULUS); indexed per campaign for `sort=random`.
    random_key = models.IntegerField(default=new_random_key, editable=False)

    # The pipeline. `stage` only changes through `ideas.services.idea_move`.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
        editable=False,
    )
    # The latest public note of the product team (the "official response"), copied from the
    # stage history so lists, the roadmap and filters need no extra query.
    response = models.TextField(_("official response"), blank=True, editable=False)
    response_at = models.DateTimeField(_("responded"), null=True, blank=True, editable=False)
    stage_changed_at = models.DateTimeField(
        _("stage changed"), null=True, blank=True, editable=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_ideas",
        limit_choices_to={"is_staff": True},
        verbose_name=_("assignee"),
    )
    # RICE scoring: priority = reach × impact × confidence ÷ effort (stored, so it sorts in SQL).
    reach = models.PositiveIntegerField(
        _("reach"), null=True, blank=True, help_text=_("People affected per quarter.")
    )
    impact = models.DecimalField(
        _("impact"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        choices=[
            (Decimal("3"), _("Massive (3)")),
            (Decimal("2"), _("High (2)")),
            (Decimal("1"), _("Medium (1)")),
            (Decimal("0.5"), _("Low (0.5)")),
            (Decimal("0.25"), _("Minimal (0.25)")),
        ],
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    effort = models.DecimalField(
        _("effort (person-months)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    priority = models.FloatField(_("priority"), null=True, blank=True, editable=False)

    objects = IdeaQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("status"),
        index.FilterField("campaign_id"),
    ]

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "status", "-trending", "-id"], name="idea_trending"),
            models.Index(fields=["campaign", "status", "-vote_count", "-id"], name="idea_top"),
            models.Index(fields=["campaign", "status", "-created_at", "-id"], name="idea_newest"),
            models.Index(
                fields=["campaign", "status", "-comment_count", "-id"], name="idea_discussed"
            ),
            models.Index(fields=["campaign", "status", "random_key", "id"], name="idea_random"),
            models.Index(fields=["stage", "status", "-vote_count", "-id"], name="idea_stage_top"),
            models.Index(fields=["stage", "-stage_changed_at"], name="idea_stage_changed"),
            # The admin list's default order, within a campaign and across all statuses.
            models.Index(fields=["campaign", "-created_at", "-id"], name="idea_admin_newest"),
        ]

    def __str__(self):
        return self.title

    # Written only by the voting and discussion write paths, with F() under a row lock.
    COUNTER_FIELDS = frozenset({"vote_count", "comment_count", "trending"})
    # Written by the database (a trigger), or once at creation: never written back.
    DERIVED_FIELDS = frozenset({"search_vector", "random_key"})

    def save(self, *args, **kwargs):
        self.priority = rice_priority(self.reach, self.impact, self.confidence, self.effort)
        update_fields = kwargs.get("update_fields")
        if self._state.adding or self.pk is None:
            self.trending = trending_score(self.vote_count, self.created_at)
        elif update_fields is None:
            # Saving an idea loaded a while ago (an author's edit, the admin) must not write back
            # counts that votes and comments have moved since.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.COUNTER_FIELDS | self.DERIVED_FIELDS
            ]
        else:
            kwargs["update_fields"] = {*update_fields, "priority"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.url

    @cached_property
    def url(self):
        """The idea's page (see `idea_url`). Lists set it for all their ideas at once with the
        campaign URL they know (`ideas.selectors.with_urls`), so a card costs no query."""
        return idea_url(self)

    @property
    def image_url(self):
        """The idea's image, served through the audience policy (`ideas.media`), never straight
        from the media directory; "" without an image."""
        if not self.image:
            return ""
        return reverse("idea_image", args=[self.pk, self.image.name.rsplit("/", 1)[-1]])

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def author_name(self):
        return self.author.public_name if self.author_id else gettext("Former member")


class TaggedIdea(TaggedItemBase):
    content_object = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="tagged_items")


class CampaignIdeaCount(models.Model):
    """How many ideas a campaign's list shows (published, not merged: neither `merged_into` nor
    a Merged stage), per category (0: none) and stage. Kept by PostgreSQL triggers on ideas_idea
    and ideas_stage (migration 0019), so a list page adds up a few rows instead of counting its
    ideas (ideas.selectors.listed_count); on SQLite (no triggers) lists count."""

    campaign = models.ForeignKey(
        "campaigns.CampaignPage", on_delete=models.CASCADE, related_name="+"
    )
    category_id = models.IntegerField()  # 0: no category (a plain number: kept by triggers)
    stage_id = models.IntegerField()
    listed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "category_id", "stage_id"], name="idea_count_key"
            )
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.category_id}/{self.stage_id}: {self.listed}"
