from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ideas import Idea
from .stages import Stage


class IdeaStageChange(models.Model):
    """One step of an idea through the pipeline, with the team's public note. Written only by
    `ideas.services.idea_move`; a note on the same stage is an official response."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("from")
    )
    to_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("public note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage history")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["idea", "-created_at"], name="stage_change_idea")]

    def __str__(self):
        return f"{self.idea_id}: {self.from_stage_id} → {self.to_stage_id}"

    @property
    def is_response(self):
        return self.from_stage_id == self.to_stage_id


class InternalNote(models.Model):
    """A note between team members about an idea. Staff-only: never rendered on the public
    site, in feeds, e-mails or the API."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("internal note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"note on {self.idea_id}"


class Event(models.Model):
    """The outbox. A row is written in the same transaction as the change it describes; the
    worker fans it out to notifications and webhooks and stamps `processed_at`. Rows still
    unprocessed (Redis or the worker was down) are picked up again by `ideas.tasks.outbox_sweep`."""

    class Kind(models.TextChoices):
        IDEA_CREATED = "idea.created", _("New idea")
        STAGE_CHANGED = "idea.stage_changed", _("Stage changed")
        RESPONSE = "idea.response", _("Official response")
        MERGED = "idea.merged", _("Idea merged")
        COMMENT_CREATED = "comment.created", _("New comment")
        COMMENT_HELPFUL = "comment.helpful", _("Comment marked helpful")
        # A moderator decided on the author's idea or comment (`data["decision"]`, the
        # recipient in `data["recipient"]`); written by the moderation app.
        MODERATION = "moderation.decided", _("Moderation decision")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    stage_change = models.ForeignKey(
        IdeaStageChange, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment_id = models.PositiveBigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="event_unprocessed",
                condition=models.Q(processed_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.idea_id}"
