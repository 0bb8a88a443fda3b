from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register_setting(icon="warning")
class ContentRules(BaseSiteSetting):
    """What holds a post for review as it is written (`ideas.holds`): blocked words and links,
    and new members' first posts. Edited by moderators in Settings › Content rules; the lists
    add to `BLOCKED_WORDS` / `BLOCKED_DOMAINS` of the settings."""

    blocked_words = models.TextField(
        _("blocked words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. Matched as whole words, in any case "
            "(“ass” does not match “class”)."
        ),
    )
    blocked_domains = models.TextField(
        _("blocked links"),
        blank=True,
        help_text=_(
            "One domain per line (spam.example): any link to it or to its subdomains is held."
        ),
    )
    new_member_held_posts = models.PositiveSmallIntegerField(
        _("hold new members' first posts"),
        default=0,
        help_text=_(
            "Ideas and comments of a member are held for review until this many of their posts "
            "were published, in every campaign. 0: only where a campaign asks for it."
        ),
    )

    panels = [
        FieldPanel("blocked_words"),
        FieldPanel("blocked_domains"),
        FieldPanel("new_member_held_posts"),
    ]

    class Meta:
        verbose_name = _("content rules")

    def words(self):
        return [*settings.BLOCKED_WORDS, *_lines(self.blocked_words)]

    def domains(self):
        return [*settings.BLOCKED_DOMAINS, *_lines(self.blocked_domains)]
