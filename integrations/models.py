import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.outbox import Delivery

WEBHOOK_EVENTS = [
    ("idea.created", _("A new idea is submitted")),
    ("idea.stage_changed", _("An idea changes stage")),
    ("idea.merged", _("An idea is merged into another")),
    ("comment.created", _("A comment is posted")),
]


def new_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """An external URL that receives events as signed JSON (or Slack-compatible messages)."""

    class Format(models.TextChoices):
        JSON = "json", _("JSON (signed with HMAC-SHA256)")
        SLACK = "slack", _("Slack-compatible message")

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Used to sign each request (X-Cocrea-Signature header)."),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default="json")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class WebhookDelivery(Delivery):
    """One event sent to one endpoint through the core outbox; retried with backoff until it
    succeeds or gives up. Keeps the receiver's answer for the delivery log."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey("ideas.Event", on_delete=models.CASCADE, related_name="+")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="one_delivery_per_event")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_pending",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.event_id} → {self.endpoint_id}"
