from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class Stage(models.Model):
    """Where an idea is in the pipeline. The defaults, their roles and the moves allowed between
    them are seeded by migration; the product team edits names, flags and moves in the admin.

    What a stage *means* is declared here, never read from its slug: its `role` (the part it
    plays in the pipeline, at most one stage each), its flags (`is_closed`, `on_roadmap`,
    `needs_note`) and `next_stages`, where its ideas may move to (`ideas.services.idea_move`
    refuses every other move, as django-oscar's order status pipeline does)."""

    class Role(models.TextChoices):
        # What the code relies on: INITIAL (new ideas start here, authors may still edit or
        # withdraw them), SHIPPED (the changelog), MERGED (reached only by `ideas_merge`).
        # The others name the default stages, so defaults and integrations can find them.
        INITIAL = "initial", _("Initial")
        REVIEW = "review", _("Review")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SHIPPED = "shipped", _("Shipped")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged")

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        default="",
        help_text=_(
            "The part this stage plays in the pipeline: new ideas start in the initial stage, "
            "the shipped one feeds the changelog, merged ideas are duplicates. Blank for a "
            "stage of your own."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(_("colour"), max_length=7, default="#5b6472")
    is_closed = models.BooleanField(_("closed"), default=False, help_text=_("Freezes voting."))
    on_roadmap = models.BooleanField(_("on roadmap"), default=False)
    needs_note = models.BooleanField(_("needs a note"), default=False)
    next_stages = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="previous_stages",
        verbose_name=_("ideas here can move to"),
        help_text=_(
            "The stages the product team may move an idea to from this one. A public note on "
            "the same stage (an official response) is always allowed."
        ),
    )
    # Names in other languages, keyed by language code ({"es": "Planificada"}). Edited in the
    # admin as one field per language; default stage names also come from the message catalogue.
    name_translations = models.JSONField(_("translated names"), default=dict, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=~models.Q(role=""),
                name="stage_one_per_role",
                violation_error_message=_("Another stage already has this role."),
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        # A translation typed in the admin wins; default stage names are in the message
        # catalogue; custom ones show as typed.
        translated = (self.name_translations or {}).get(get_language() or "")
        return translated or gettext(self.name)

    @classmethod
    def for_role(cls, role) -> "Stage":
        return cls.objects.get(role=role)

    @classmethod
    def initial(cls) -> "Stage":
        """Where a submitted idea starts."""
        return cls.for_role(cls.Role.INITIAL)

    @classmethod
    def merged(cls) -> "Stage":
        return cls.for_role(cls.Role.MERGED)

    @property
    def is_initial(self):
        return self.role == self.Role.INITIAL

    @property
    def is_merged(self):
        return self.role == self.Role.MERGED

    @property
    def is_shipped(self):
        return self.role == self.Role.SHIPPED

    def allowed_next(self):
        """The stages `idea_move` may move an idea in this stage to: the merged stage is reached
        by merging only."""
        return self.next_stages.exclude(role=self.Role.MERGED)
