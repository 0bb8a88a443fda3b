"""The points ledger (the source of truth), the cached total per member, the helpful marks,
and the values and level thresholds the site's administrators set."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Reason(models.TextChoices):
    IDEA_PUBLISHED = "idea_published", _("Idea published")
    VOTE_RECEIVED = "vote_received", _("Vote received on an idea")
    IDEA_PLANNED = "idea_planned", _("Idea moved to planned")
    IDEA_SHIPPED = "idea_shipped", _("Idea shipped")
    COMMENT_HELPFUL = "comment_helpful", _("Comment marked helpful")
    COMMENT_LIKED = "comment_liked", _("Like on a comment")
    FIRST_IDEA = "first_idea", _("First idea")


class PointsEntry(models.Model):
    """One award or one reversal. A thing (`content_type`, `object_id`) earns a member one award
    for a reason at most once, and loses it at most once: the unique constraint makes a second
    award (a redelivered event, a racing request) impossible, and a reversal final."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_entries"
    )
    points = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    is_reversal = models.BooleanField(_("reversal"), default=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    # What the thing belongs to, for the campaign leaderboards (kept when the idea goes).
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.CampaignPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "reason", "content_type", "object_id", "is_reversal"],
                name="points_once_per_thing",
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="points_thing"),
            models.Index(fields=["campaign", "created_at"], name="points_campaign_when"),
            models.Index(fields=["created_at"], name="points_when"),
        ]

    def __str__(self):
        return f"{self.member_id} {self.points:+d} {self.reason}"


class MemberPoints(models.Model):
    """The cached total of a member's ledger, moved with `F()` in the transaction that writes
    the entry; `reputation_rebuild` recomputes it and reports drift."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reputation",
    )
    points = models.IntegerField(_("points"), default=0)

    class Meta:
        verbose_name = _("member points")
        verbose_name_plural = _("member points")

    def __str__(self):
        return f"{self.member_id}: {self.points}"


class HelpfulMark(models.Model):
    """A comment the product team marked helpful (the “accepted answer”)."""

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, related_name="helpful_mark"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")

    def __str__(self):
        return f"helpful #{self.comment_id}"


@register_setting(icon="pick")
class ReputationSettings(BaseSiteSetting):
    """Points per reason and the level thresholds. Changes apply to what is earned from then on;
    past entries keep the points they were given."""

    idea_published = models.PositiveIntegerField(_("idea published"), default=10)
    vote_received = models.PositiveIntegerField(_("vote received on your idea"), default=2)
    idea_planned = models.PositiveIntegerField(_("your idea moved to planned"), default=25)
    idea_shipped = models.PositiveIntegerField(_("your idea shipped"), default=50)
    comment_helpful = models.PositiveIntegerField(_("a comment marked helpful"), default=15)
    comment_liked = models.PositiveIntegerField(_("a like on your comment"), default=1)
    first_idea = models.PositiveIntegerField(_("first idea"), default=5)
    level_2 = models.PositiveIntegerField(_("points for level 2"), default=25)
    level_3 = models.PositiveIntegerField(_("points for level 3"), default=100)
    level_4 = models.PositiveIntegerField(_("points for level 4"), default=300)
    level_5 = models.PositiveIntegerField(_("points for level 5 (ambassador)"), default=1000)

    class Meta:
        verbose_name = _("reputation")

    def points_for(self, reason):
        return getattr(self, reason)

    @property
    def thresholds(self):
        return [0, self.level_2, self.level_3, self.level_4, self.level_5]
