from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ideas import Idea


class Follow(models.Model):
    """A member who hears about an idea. Authors and voters follow automatically."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["member", "idea"], name="one_follow_per_member")
        ]
        indexes = [models.Index(fields=["idea", "member"], name="follow_idea")]

    def __str__(self):
        return f"{self.member_id} follows {self.idea_id}"
