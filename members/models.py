from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.fields import StreamField

from .blocks import SegmentRulesBlock

PRODUCT_TEAM_GROUP = "Product team"
EDITORS_GROUP = "Editors"


class User(AbstractUser):
    """A member of the community. Staff and editors are members too."""

    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(
        _("language"), max_length=8, blank=True, help_text=_("Preferred language for e-mails.")
    )
    code_of_conduct_accepted_at = models.DateTimeField(
        _("code of conduct accepted at"), null=True, blank=True
    )
    is_team = models.BooleanField(
        _("product team"),
        default=False,
        help_text=_("Labelled “Team” in discussions. Kept in step with the Product team group."),
    )
    # Denormalized for the header badge (no query per page); moved with F() by the
    # notification services.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    # What a brand segments on (issue: members and segments). Members edit their own.
    country = CountryField(_("country"), blank=True)
    tier = models.CharField(
        _("customer tier"),
        max_length=40,
        blank=True,
        help_text=_("Plan or tier as the brand names it (see MEMBER_TIERS)."),
    )
    company = models.CharField(_("company"), max_length=120, blank=True)
    external_id = models.CharField(
        _("external customer id"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The id in the CRM, for imports."),
    )
    interests = models.ManyToManyField(
        "members.Interest", blank=True, related_name="members", verbose_name=_("interests")
    )
    # Explicit opt-in, with its time; withdrawing clears it. The history is in ConsentRecord.
    marketing_consent_at = models.DateTimeField(
        _("marketing e-mails accepted at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    @property
    def has_marketing_consent(self):
        return self.marketing_consent_at is not None

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("members:profile", kwargs={"username": self.username})


class Follow(models.Model):
    """A member who hears about an idea. Authors and voters follow automatically."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follows")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="follows")
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


class NotificationKind(models.TextChoices):
    STAGE_CHANGED = "stage_changed", _("An idea I follow changes stage")
    RESPONSE = "response", _("The product team responds to an idea I follow")
    MERGED = "merged", _("An idea I follow is merged into another")
    COMMENT = "comment", _("Someone comments on an idea I follow")
    REPLY = "reply", _("Someone replies to my comment")


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
}


class NotificationPreference(models.Model):
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="preferences")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.member_id} {self.kind}={self.frequency}"


class EmailDelivery(models.Model):
    """One e-mail to one member, keyed so that it is sent at most once: `key` is unique
    (`n:<notification>` for an immediate e-mail, `digest:<member>:<frequency>:<period>`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    key = models.CharField(max_length=120, unique=True)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="email_pending",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return self.key


class Notification(models.Model):
    """What a member sees in the notification centre; at most one per member and event."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
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


def tier_choices():
    return [("", _("—"))] + list(settings.MEMBER_TIERS)


class Interest(models.Model):
    """A topic members can say they care about (profile), and segments can target."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ConsentRecord(models.Model):
    """Every change of a member's marketing consent: given or withdrawn, when and how."""

    class Source(models.TextChoices):
        PROFILE = "profile", _("Profile settings")
        SIGNUP = "signup", _("Sign-up")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")
        IMPORT = "import", _("Import")

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    given = models.BooleanField()
    source = models.CharField(max_length=20, choices=Source.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.member_id} {'+' if self.given else '-'} {self.at:%Y-%m-%d}"


class Segment(models.Model):
    """A named group of members: rules and/or hand-picked members. Membership is materialized
    in SegmentMembership (see members.segments), so "is this member in X" is one lookup."""

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
        User, blank=True, related_name="+", verbose_name=_("always include")
    )
    exclude = models.ManyToManyField(
        User, blank=True, related_name="+", verbose_name=_("always exclude")
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
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="segment_memberships")
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["segment", "member"], name="one_membership")]
        indexes = [models.Index(fields=["member", "segment"], name="membership_member")]

    def __str__(self):
        return f"{self.member_id} in {self.segment_id}"
