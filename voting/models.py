from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Vote(models.Model):
    """One member supporting one idea."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    campaign = models.ForeignKey(
        "campaigns.CampaignPage",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Copied from the idea so that budgets are counted from one index.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="one_vote_per_member_per_idea")
        ]
        indexes = [
            models.Index(fields=["member", "campaign"], name="vote_member_campaign"),
            # The dashboard counts the votes since its roll-up live (insights.rollup).
            models.Index(fields=["created_at"], name="vote_when"),
        ]

    def __str__(self):
        return f"{self.member_id} → {self.idea_id}"
