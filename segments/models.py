from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from .blocks import SegmentRulesBlock


class Segment(models.Model):
    """A named group of members: rules and/or hand-picked members. Membership is materialized
    in SegmentMembership (see segments.services), so "is this member in X" is one lookup."""

    class Match(models.TextChoices):
        ALL = "all", _("All conditions")
        ANY = "any", _("Any condition")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    match = models.CharField(
        _("members must match"), max_length=3, choices=Match.choices, default="all"
    )
    rules = StreamField(SegmentRulesBlock(), blank=True, verbose_name=_("rules"))
    include = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("always include")
    )
    exclude = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("always exclude")
    )
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SegmentMembership(models.Model):
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="segment_memberships"
    )
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["segment", "member"], name="one_membership")]
        indexes = [models.Index(fields=["member", "segment"], name="membership_member")]

    def __str__(self):
        return f"{self.member_id} in {self.segment_id}"


class AudienceGeneration(models.Model):
    """The audience generation (segments.membership): the highest id of this append-only table.
    A change inserts a row, which takes no lock other writers wait for, and the number lives in
    PostgreSQL, so who sees what never depends on the cache (which holds a copy for seconds)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("audience generation")
        verbose_name_plural = _("audience generations")

    def __str__(self):
        return str(self.pk)
