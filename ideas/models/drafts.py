from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdeaDraft(models.Model):
    """What someone typed into the idea form when they had to sign in first (a visitor, or a
    member whose session had ended): kept server-side so sign-in brings it back (`ideas.drafts`).

    Keyed by a random `key` that only the browser that typed it carries (a cookie) and the
    sign-in `next` link (signed); the first member to come back with both claims it, and from
    then on it is shown to that member only. Drafts expire after `ideas.drafts.DRAFT_MAX_AGE`."""

    key = models.CharField(max_length=64, unique=True, editable=False)
    campaign = models.ForeignKey(
        "campaigns.CampaignPage", on_delete=models.CASCADE, related_name="idea_drafts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="idea_drafts",
    )
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("idea draft")
        verbose_name_plural = _("idea drafts")

    def __str__(self):
        return f"draft {self.pk} ({self.campaign_id})"
