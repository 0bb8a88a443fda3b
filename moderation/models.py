"""Moderation: members' flags, the cases the queue shows (one per idea or comment), the
decisions moderators take on them, and the author's appeal of a decision.

A `Case` is the queue's row for one item: why it is there (held as it was written, flagged),
whether the item is hidden, and whether it still waits for a moderator. Decisions and appeals
hang from it, so the queue is one paginated query on one table and the figures read it."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

APPEAL_MAX = 1000
NOTE_MAX = 2000
FLAG_TEXT_MAX = 500


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSIVE = "abusive", _("Abusive or offensive")
    OFF_TOPIC = "off_topic", _("Off-topic")
    PERSONAL_DATA = "personal_data", _("Shares personal data")
    OTHER = "other", _("Something else")


class HeldReason(models.TextChoices):
    CAMPAIGN = "campaign", _("Pre-moderated campaign")
    BLOCKED_WORDS = "blocked_words", _("Blocked words or links")
    NEW_MEMBER = "new_member", _("A new member's first posts")


class ModerationReason(models.Model):
    """A reason a moderator gives for a decision, with the code-of-conduct clause it rests
    on: what the author reads. Edited in the admin; the defaults are seeded by migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=120)
    label_es = models.CharField(_("label (Spanish)"), max_length=120, blank=True)
    clause = models.TextField(_("code-of-conduct clause"))
    clause_es = models.TextField(_("code-of-conduct clause (Spanish)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered to moderators"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("moderation reason")
        verbose_name_plural = _("moderation reasons")

    def __str__(self):
        return self.display_label

    def _in_language(self, field):
        translated = getattr(self, f"{field}_es", "") if get_language() == "es" else ""
        return translated or getattr(self, field)

    @property
    def display_label(self):
        return self._in_language("label")

    @property
    def display_clause(self):
        return self._in_language("clause")


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Case.OPEN)


class Case(models.Model):
    class Kind(models.TextChoices):
        IDEA = "idea", _("Idea")
        COMMENT = "comment", _("Comment")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")  # held as written, not yet public
        FLAGGED = "flagged", _("Flagged")  # still visible
        HIDDEN_PENDING = "hidden_pending", _("Hidden, waiting for review")  # enough flags
        HIDDEN = "hidden", _("Hidden by a moderator")
        REJECTED = "rejected", _("Rejected")
        CLEARED = "cleared", _("Approved")

    OPEN = (Status.PENDING, Status.FLAGGED, Status.HIDDEN_PENDING)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="moderation_cases"
    )
    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_cases",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    held_reason = models.CharField(
        _("held because"), max_length=20, choices=HeldReason.choices, blank=True
    )
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    opened_at = models.DateTimeField(_("in the queue since"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        constraints = [
            models.UniqueConstraint(
                fields=["idea"], condition=models.Q(comment=None), name="one_case_per_idea"
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=~models.Q(comment=None),
                name="one_case_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_at"], name="case_queue")]

    def __str__(self):
        return f"{self.kind} {self.comment_id or self.idea_id}"

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def item(self):
        return self.comment if self.kind == self.Kind.COMMENT else self.idea


class Flag(models.Model):
    """One member's report of an idea or a comment; at most one per member and item."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    text = models.CharField(
        _("details"), max_length=FLAG_TEXT_MAX, blank=True, validators=[MaxLengthValidator(500)]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set when a moderator decides on the case: the decision, and whether the flag was right
    # (the item hidden or rejected; an overturned appeal turns it back to False).
    decision = models.ForeignKey(
        "Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="flags"
    )
    upheld = models.BooleanField(null=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["case", "member"], name="one_flag_per_member")
        ]

    def __str__(self):
        return f"{self.reason} by {self.member_id}"


class Decision(models.Model):
    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        HIDE = "hide", _("Hide")
        RESTORE = "restore", _("Restore")
        # On an appeal; final.
        UPHOLD = "uphold", _("Uphold")
        OVERTURN = "overturn", _("Overturn")

    # Decisions against the author; these may be appealed, once.
    APPEALABLE = (Action.REJECT, Action.HIDE)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.ForeignKey(
        ModerationReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("reason"),
    )
    note = models.TextField(_("note"), blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the case entered the queue, for the time to decision.
    case_opened_at = models.DateTimeField()
    # For uphold/overturn: the appeal it answers.
    appeal = models.OneToOneField(
        "Appeal", on_delete=models.CASCADE, null=True, blank=True, related_name="outcome"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self):
        return f"{self.action} on {self.case_id}"

    @property
    def is_appealable(self):
        return self.action in self.APPEALABLE


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        UPHELD = "upheld", _("Decision upheld")
        OVERTURNED = "overturned", _("Decision overturned")

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="appeal_of")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("your appeal"), validators=[MaxLengthValidator(APPEAL_MAX)])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"appeal of {self.decision_id}"
