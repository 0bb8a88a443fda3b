from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("members:profile", kwargs={"username": self.username})
