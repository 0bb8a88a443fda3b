"""E-mail campaigns: an article sent to members with marketing consent, one delivery row per
recipient. How sending works and what it guarantees: docs/mailings.md."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.outbox import Delivery


class EmailCampaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    article = models.ForeignKey(
        "cms.ArticlePage",
        on_delete=models.PROTECT,
        related_name="email_campaigns",
        verbose_name=_("article"),
    )
    segments = models.ManyToManyField(
        "segments.Segment",
        blank=True,
        related_name="email_campaigns",
        verbose_name=_("segments"),
        help_text=_(
            "Empty: the article's audience, or every member with marketing consent when the "
            "article is for everyone."
        ),
    )
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("Empty: the article's title.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Recounted from the delivery rows by the sender after every batch (exact, self-healing).
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    # One chain of batch tasks at a time: the chain that holds the lease passes its token on;
    # a resumed chain takes the lease over once it expired (or at worker start-up).
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("e-mail campaign")
        verbose_name_plural = _("e-mail campaigns")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status"], name="mailing_sending", condition=models.Q(status="sending")
            )
        ]

    def __str__(self):
        return self.subject_line

    @property
    def subject_line(self):
        return self.subject or self.article.title


class MarketingDelivery(Delivery):
    """One campaign e-mail to one member, sent through the core outbox at most once (one row per
    campaign and member); `pending` until the campaign's batches reach it."""

    campaign = models.ForeignKey(EmailCampaign, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="marketing_deliveries"
    )

    class Meta:
        verbose_name = _("campaign e-mail")
        verbose_name_plural = _("campaign e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"], name="one_marketing_delivery_per_member"
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="mailing_delivery_status")]

    def __str__(self):
        return f"{self.campaign_id}:{self.member_id} {self.status}"
