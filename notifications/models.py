"""Notifications: what a member hears about (the notification centre), how they want it by
e-mail (preferences), and the e-mail deliveries that carry it (the core outbox)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.outbox import Delivery


class NotificationKind(models.TextChoices):
    STAGE_CHANGED = "stage_changed", _("An idea I follow changes stage")
    RESPONSE = "response", _("The product team responds to an idea I follow")
    MERGED = "merged", _("An idea I follow is merged into another")
    COMMENT = "comment", _("Someone comments on an idea I follow")
    REPLY = "reply", _("Someone replies to my comment")
    HELPFUL = "helpful", _("The product team marks my comment helpful")
    MODERATION = "moderation", _("A moderator decides on my idea or comment")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NONE = "none", _("No e-mail")


# What a member gets until they choose otherwise.
DEFAULT_FREQUENCY = {
    NotificationKind.STAGE_CHANGED: Frequency.IMMEDIATE,
    NotificationKind.RESPONSE: Frequency.IMMEDIATE,
    NotificationKind.MERGED: Frequency.IMMEDIATE,
    NotificationKind.COMMENT: Frequency.DAILY,
    NotificationKind.REPLY: Frequency.IMMEDIATE,
    NotificationKind.HELPFUL: Frequency.IMMEDIATE,
    NotificationKind.MODERATION: Frequency.IMMEDIATE,
}


class NotificationPreference(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.member_id} {self.kind}={self.frequency}"


class EmailDelivery(Delivery):
    """One e-mail to one member, sent through the outbox at most once: `key` is unique
    (`n:<notification>` for an immediate e-mail, `digest:<member>:<frequency>:<period>`)."""

    key = models.CharField(max_length=120, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="email_pending",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return self.key


class Notification(models.Model):
    """What a member sees in the notification centre; at most one per member and event."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey("ideas.Event", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by e-mail (alone or in a digest), or was not to be sent.
    email = models.ForeignKey(
        EmailDelivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    email_done = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="one_notification_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient", "kind"],
                name="notification_digest",
                condition=models.Q(email_done=False),
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"


class AccountEmailDelivery(Delivery):
    """An e-mail about the member's account itself, sent through the outbox at most once:
    a suspension and its lifting (`notifications.account`). Not a notification topic: it
    carries no unsubscribe link (a member is always told what happens to their account)."""

    class Kind(models.TextChoices):
        SUSPENDED = "suspended", _("Account suspended")
        LIFTED = "lifted", _("Suspension lifted")

    key = models.CharField(max_length=120, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_emails"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    suspension = models.ForeignKey("members.Suspension", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("account e-mail")
        verbose_name_plural = _("account e-mails")

    def __str__(self):
        return self.key
