import math
from datetime import UTC, datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

TITLE_MIN, TITLE_MAX = 8, 140
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 10_000

# Trending is "hot" ranking: a tenfold vote lead is worth TRENDING_HALF_DAY_SECONDS of recency.
# The score does not change with the clock, so it is stored and indexed, not computed per request.
TRENDING_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
TRENDING_SECONDS_PER_DECADE = 45_000


def trending_score(vote_count, created_at):
    age = (created_at - TRENDING_EPOCH).total_seconds()
    return round(math.log10(max(vote_count, 1)) + age / TRENDING_SECONDS_PER_DECADE, 7)


class Stage(models.Model):
    """Where an idea is in the pipeline. The defaults are seeded by migration."""

    NEW = "new"
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(_("colour"), max_length=7, default="#5b6472")
    is_closed = models.BooleanField(_("closed"), default=False, help_text=_("Freezes voting."))
    on_roadmap = models.BooleanField(_("on roadmap"), default=False)
    needs_note = models.BooleanField(_("needs a note"), default=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        # Default stage names are in the message catalogue; custom ones show as typed.
        return gettext(self.name)

    @classmethod
    def default(cls):
        return cls.objects.get(slug=cls.NEW)


class IdeaQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self):
        return self.filter(status=Idea.Status.PUBLISHED)

    def public(self):
        """Published ideas in live campaigns that anyone may see."""
        from campaigns.models import CampaignPage

        live = list(CampaignPage.objects.live().public().values_list("pk", flat=True))
        return self.filter(status=Idea.Status.PUBLISHED, campaign_id__in=live)

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
            "author__username",
            "author__display_name",
            "stage__name",
            "stage__slug",
            "stage__colour",
            "stage__is_closed",
            "category__name",
        )


class Idea(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REJECTED = "rejected", _("Rejected by moderation")

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
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.trending = trending_score(self.vote_count, self.created_at)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.campaign.url}ideas/{self.pk}/"

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def author_name(self):
        return self.author.public_name if self.author_id else gettext("Former member")


class TaggedIdea(TaggedItemBase):
    content_object = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="tagged_items")
