from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

PRODUCT_TEAM_GROUP = "Product team"
EDITORS_GROUP = "Editors"
MODERATORS_GROUP = "Moderators"


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
    # Denormalized for the level and ambassador mark next to a name (no query per page): kept
    # by the reputation app from its ledger (0: no points yet; the top level is an ambassador).
    reputation_level = models.PositiveSmallIntegerField(default=0, editable=False)

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


class SuspensionQuerySet(models.QuerySet):
    def in_force(self, now=None):
        """Suspensions that hold now: not lifted, and permanent or not yet over."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            models.Q(until__isnull=True) | models.Q(until__gt=now)
        )


class Suspension(models.Model):
    """A moderator's suspension of a member: until a moment (`until`), or permanently (null).
    A suspended member can read but not post. Rows are never deleted: lifting stamps
    `lifted_at`/`lifted_by`, so the history stays (`members.services.member_suspend`)."""

    member = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="suspensions", verbose_name=_("member")
    )
    until = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Empty: permanently.")
    )
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    created_at = models.DateTimeField(_("suspended at"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_note = models.TextField(_("note on lifting"), blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open suspension per member (a new one closes the previous one first).
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_open_suspension_per_member",
            )
        ]

    def __str__(self):
        return f"{self.member_id} until {self.until or 'permanently'}"

    @property
    def is_permanent(self):
        return self.until is None

    def in_force(self, now=None):
        now = now or timezone.now()
        return self.lifted_at is None and (self.until is None or self.until > now)


class ExternalIdentity(models.Model):
    """A member as another system knows them: the customer id (`subject`) a brand's app gives
    in an identify link (members.identify), per issuer. The next link with the same id signs in
    the same member, whatever e-mail address it carries by then."""

    member = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="external_identities", verbose_name=_("member")
    )
    issuer = models.CharField(_("issuer"), max_length=200)
    subject = models.CharField(_("external id"), max_length=255)
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last sign-in"), default=timezone.now)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="one_member_per_external_identity"
            )
        ]

    def __str__(self):
        return f"{self.issuer}: {self.subject}"


class UsedIdentifyToken(models.Model):
    """An identify link already used (its `jti`), kept until it would have expired anyway: the
    unique constraint makes a second use fail, even two at the same moment."""

    issuer = models.CharField(max_length=200)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "jti"], name="identify_token_used_once")
        ]

    def __str__(self):
        return f"{self.issuer}:{self.jti}"
