import math

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock
from core.locales import ActiveLanguageURLMixin, default_locale_id
from segments.audience import AudienceMixin

from . import routes


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for ideas")
    VOTING = "voting", _("Voting")
    CLOSED = "closed", _("Closed")


class CampaignIndexPage(ActiveLanguageURLMixin, Page):
    intro = models.TextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["campaigns.CampaignPage"]
    template = "pages/campaign_index_page.html"
    max_count = 1

    class Meta:
        verbose_name = _("campaign index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import campaigns_for_index

        context = super().get_context(request, *args, **kwargs)
        context["groups"] = campaigns_for_index(user=request.user, parent=self)
        return context


class CampaignPageForm(WagtailAdminPageForm):
    """On a translation, the rules and the audience are the source's: shown, but disabled (the
    source's values are kept whatever is posted; `CampaignPage.save` copies them again)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.is_source:
            for name in (*CampaignPage.RULE_FIELDS, "audience"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Follows the campaign in the default language; change it there."
                    )


class CategoriesPanel(InlinePanel):
    """The campaign's categories, each with its names in the other languages (CategoryForm)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = CategoryForm
        return options


class TranslationNotePanel(HelpPanel):
    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self):
            instance = self.instance
            return instance is not None and instance.pk is not None and not instance.is_source


class CampaignPage(ActiveLanguageURLMixin, AudienceMixin, RoutablePageMixin, Page):
    """A themed, time-boxed call for ideas.

    Translated with Wagtail's localisation (docs/translation.md): a translation has its own
    title, summary, intro and image, and everything else is the source's, the campaign in the
    default language. Ideas, votes and categories belong to the source (`source`); its rules
    (phases, vote budget, moderation) are copied onto its translations whenever either is
    saved, and the audience policy reads the source's audience for them."""

    # Copied from the source onto its translations on every save: one set of rules.
    RULE_FIELDS = (
        "submission_opens_at",
        "submission_closes_at",
        "voting_opens_at",
        "voting_closes_at",
        "vote_budget",
        "moderation",
        "new_member_held_posts",
    )

    class Moderation(models.TextChoices):
        PUBLISH = "publish", _("Publish at once")
        HOLD = "hold", _("Hold for review")

    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("intro"))
    summary = models.CharField(
        _("summary"), max_length=240, blank=True, help_text=_("One line shown on campaign cards.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    submission_opens_at = models.DateTimeField(_("ideas open"))
    submission_closes_at = models.DateTimeField(
        _("ideas close"), null=True, blank=True, help_text=_("Leave empty for no end.")
    )
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(
        _("voting closes"), null=True, blank=True, help_text=_("Leave empty for no end.")
    )
    vote_budget = models.PositiveIntegerField(
        _("vote budget"),
        default=0,
        help_text=_("How many ideas a member may vote for in this campaign. 0 means unlimited."),
    )
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISH
    )
    new_member_held_posts = models.PositiveSmallIntegerField(
        _("hold new members' first posts"),
        default=0,
        help_text=_(
            "Ideas and comments of a member are held for review until this many of their "
            "posts were published. 0: as the site's content rules say."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("image"),
        TranslationNotePanel(
            content=_(
                "This is a translation: it shows the same ideas and votes as the campaign in the "
                "default language. Phases, rules and the audience follow that campaign, and its "
                "categories are used here, named in this language (edit their translated "
                "names there); categories added on this page are not used."
            ),
            heading=_("Translation"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("submission_opens_at"), FieldPanel("submission_closes_at")]
                ),
                FieldRowPanel([FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")]),
            ],
            heading=_("Phases"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("vote_budget"),
                FieldPanel("moderation"),
                FieldPanel("new_member_held_posts"),
            ],
            heading=_("Rules"),
        ),
        CategoriesPanel("categories", label=_("Categories")),
        FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
    ]
    base_form_class = CampaignPageForm
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("intro")]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = []
    template = "pages/campaign_page.html"

    class Meta:
        verbose_name = _("campaign")

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.submission_closes_at
            and self.submission_opens_at
            and (self.submission_closes_at <= self.submission_opens_at)
        ):
            errors["submission_closes_at"] = _("Ideas must close after they open.")
        if (
            self.voting_closes_at
            and self.voting_opens_at
            and (self.voting_closes_at <= self.voting_opens_at)
        ):
            errors["voting_closes_at"] = _("Voting must close after it opens.")
        if errors:
            raise ValidationError(errors)

    # Phases -------------------------------------------------------------------------------

    def submission_is_open(self, now=None):
        now = now or timezone.now()
        return self.submission_opens_at <= now and (
            self.submission_closes_at is None or now < self.submission_closes_at
        )

    def voting_is_open(self, now=None):
        now = now or timezone.now()
        return self.voting_opens_at <= now and (
            self.voting_closes_at is None or now < self.voting_closes_at
        )

    def phase_at(self, now=None):
        now = now or timezone.now()
        if self.submission_is_open(now):
            return Phase.OPEN
        if self.voting_is_open(now):
            return Phase.VOTING
        if now < self.submission_opens_at or now < self.voting_opens_at:
            return Phase.UPCOMING
        return Phase.CLOSED

    @cached_property
    def phase(self):
        return self.phase_at()

    @property
    def closes_at(self):
        """When the current phase ends: ideas close while submission is open, voting closes
        in the voting phase; None when it has no end or is not running."""
        phase = self.phase
        if phase == Phase.OPEN:
            return self.submission_closes_at
        if phase == Phase.VOTING:
            return self.voting_closes_at
        return None

    @property
    def days_left(self):
        """Whole days (rounded up) until the current phase ends, or None (see `closes_at`)."""
        closes_at = self.closes_at
        if closes_at is None:
            return None
        return max(math.ceil((closes_at - timezone.now()).total_seconds() / 86400), 0)

    @property
    def phase_label(self):
        return Phase(self.phase).label

    # Translations -------------------------------------------------------------------------

    @property
    def is_source(self):
        """Whether this is the campaign ideas belong to: the page in the default language (or
        a page that has none, made in another language first)."""
        return self.source.pk == self.pk

    @cached_property
    def source(self):
        """The campaign in the default language, whose ideas, votes, categories, rules and
        audience this page shows; itself when it is that page. No query on the source itself;
        one on a translation."""
        default = default_locale_id()
        if default is None or self.locale_id == default or not self.translation_key:
            return self
        original = (
            CampaignPage.objects.filter(translation_key=self.translation_key, locale_id=default)
            .exclude(pk=self.pk)
            .first()
        )
        return original or self

    def save(self, *args, **kwargs):
        source = self.source if self.pk else self
        if source.pk != self.pk:
            for field in self.RULE_FIELDS:
                setattr(self, field, getattr(source, field))
        result = super().save(*args, **kwargs)
        if source.pk == self.pk and self.translation_key:
            CampaignPage.objects.filter(translation_key=self.translation_key).exclude(
                pk=self.pk
            ).update(**{field: getattr(self, field) for field in self.RULE_FIELDS})
        return result

    @cached_property
    def category_list(self):
        return list(self.source.categories.all())

    # Routes: the views live in the ideas and voting apps, which register them with
    # `campaigns.routes`; the page only serves what is registered.

    @classmethod
    def get_subpage_urls(cls):
        # Registered routes first: they include "" (the idea list), which must win over the
        # mixin's default index route.
        return (*routes.patterns(), *super().get_subpage_urls())

    @re_path(r"^ideas/(?P<idea_id>\d+)-[-\w]*/$")
    def idea_detail_slugged(self, request, idea_id):
        return redirect(
            self.url + self.reverse_subpage("idea_detail", args=[int(idea_id)]), permanent=True
        )

    def subpage_url(self, name, *args):
        return self.url + self.reverse_subpage(name, args=args)


def _other_languages():
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _name_in_now(language):
    return gettext("Name in %(language)s") % {"language": language}


_name_in = lazy(_name_in_now, str)  # read when the form is shown, in the editor's language


class CategoryFormBase(WagtailAdminModelForm):
    """The category's name, and one field per other language for `name_translations`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        translations = self.instance.name_translations or {}
        for code, _language in _other_languages():
            self.fields[f"name_{code}"].initial = translations.get(code, "")

    def save(self, commit=True):
        translations = {}
        for code, _language in _other_languages():
            value = (self.cleaned_data.get(f"name_{code}") or "").strip()
            if value:
                translations[code] = value
        self.instance.name_translations = translations
        return super().save(commit=commit)


CategoryForm = type(
    "CategoryForm",
    (CategoryFormBase,),
    {
        f"name_{code}": forms.CharField(
            label=_name_in(language),
            max_length=80,
            required=False,
        )
        for code, language in _other_languages()
    },
)


class Category(Orderable):
    """A theme within a campaign. One row per category whatever the language: ideas point at
    it, and its name in other languages is in `name_translations` ({"es": "Ahorro"}), edited
    next to the name on the campaign in the default language."""

    campaign = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, blank=True)
    name_translations = models.JSONField(_("translated names"), default=dict, blank=True)

    panels = [
        FieldPanel("name"),
        *(FieldPanel(f"name_{code}") for code, _language in _other_languages()),
        FieldPanel("slug"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name in the active language, the name as typed when it has none."""
        return (self.name_translations or {}).get(get_language() or "") or self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)
