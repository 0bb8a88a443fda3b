import secrets

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from campaigns.models import Category

from .models import RANDOM_KEY_MODULUS, Idea, Stage

SORTS = {
    "trending": ("-trending", "-id"),
    "top": ("-vote_count", "-id"),
    "newest": ("-created_at", "-id"),
    "discussed": ("-comment_count", "-id"),
}
SORT_CHOICES = [
    ("trending", _("Trending")),
    ("top", _("Top")),
    ("newest", _("Newest")),
    ("discussed", _("Most discussed")),
    ("random", _("Random")),
]
SEED_PARAM = "seed"


class SeedFilter(django_filters.Filter):
    """Where `sort=random` starts (ideas.selectors.RandomOrder): a number carried in the URL, so
    pages stay the same from one to the next without a session, and every link of the list (the
    filter form, pagination) keeps it. Drawn when missing."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, min_value=0, max_value=RANDOM_KEY_MODULUS - 1, **kwargs)

    def filter(self, qs, value):
        return qs  # read by the sort (IdeaFilter.random_seed), not a filter


class IdeaFilter(django_filters.FilterSet):
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="sort_ideas", empty_label=None
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.none(),
        to_field_name="slug",
        empty_label=_("All categories"),
    )
    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"),
        queryset=Stage.objects.all(),
        to_field_name="slug",
        empty_label=_("All stages"),
    )
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags__slug", max_length=100)
    seed = SeedFilter(label="")

    class Meta:
        model = Idea
        fields = ["category", "stage", "tag"]

    def __init__(self, data=None, *args, campaign, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("sort"):
            data["sort"] = "trending"
        if data.get("sort") == "random" and not _valid_seed(data.get(SEED_PARAM)):
            data[SEED_PARAM] = str(secrets.randbelow(RANDOM_KEY_MODULUS))
        super().__init__(data, *args, **kwargs)
        # A real queryset even in a page preview, where `campaign.categories` is modelcluster's
        # in-memory stand-in.
        # Categories are the source campaign's, whichever language's page lists the ideas.
        self.filters["category"].queryset = Category.objects.filter(campaign_id=campaign.source.pk)

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            qs = super().qs
            if not self.form.cleaned_data.get("sort"):  # unknown sort: fall back, don't fail
                qs = qs.order_by(*SORTS["trending"])
            stage = self.form.cleaned_data.get("stage") if self.form.is_valid() else None
            if stage is None or not stage.is_merged:
                # "All stages" (the default) leaves merged duplicates out; the Merged stage
                # filter lists them.
                qs = qs.not_merged()
            self._qs = qs
        return self._qs

    @property
    def kept_count_filters(self):
        """The list narrowed by category and stage only (the kept counts have those): their
        filters on ideas.models.CampaignIdeaCount; None when it must be counted (a tag, the
        Merged stage)."""
        self.form.errors  # noqa: B018 (validates: fields in error filter nothing)
        data = self.form.cleaned_data
        stage = data.get("stage")
        if data.get("tag") or (stage is not None and stage.is_merged):
            return None
        filters = {}
        if data.get("category") is not None:
            filters["category_id"] = data["category"].pk
        if stage is not None:
            filters["stage_id"] = stage.pk
        return filters

    @property
    def random_seed(self):
        """The seed of `sort=random`, None for the other sorts."""
        self.form.errors  # noqa: B018
        if self.form.cleaned_data.get("sort") == "random":
            return self.form.cleaned_data.get(SEED_PARAM) or 0
        return None

    def sort_ideas(self, queryset, name, value):
        if value == "random":
            # ideas.selectors.RandomOrder starts the order at the seed and wraps around.
            return queryset.order_by("random_key", "id")
        return queryset.order_by(*SORTS.get(value, SORTS["trending"]))


# The filter form's HTML is cached (ideas.templatetags.idea_cards.idea_filter_fields) per
# campaign, language, chosen values and this version, which a change of any category or stage
# replaces (in every process: it is in the shared cache), so new choices show at once.
FORM_VERSION_KEY = "idea-filter:version"
FORM_CACHE_SECONDS = 300  # bounds what a version bump lost while Redis was away could leave


def filter_form_version():
    """The current version of the filter forms' choices, or None when the cache is away."""
    version = cache.get(FORM_VERSION_KEY)
    if version is None:
        cache.add(FORM_VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(FORM_VERSION_KEY)
    return version


def filter_choices_changed(**kwargs):
    cache.set(FORM_VERSION_KEY, secrets.token_hex(8), None)


for _model in (Category, Stage):
    post_save.connect(filter_choices_changed, sender=_model, dispatch_uid=f"filter-{_model}")
    post_delete.connect(filter_choices_changed, sender=_model, dispatch_uid=f"filter-d-{_model}")


def _valid_seed(value):
    return str(value or "").isdigit() and int(value) < RANDOM_KEY_MODULUS


class RoadmapFilter(django_filters.FilterSet):
    """The roadmap's filters. The choices are given (the page reads them with its ideas), so the
    filter adds no query of its own."""

    campaign = django_filters.ChoiceFilter(
        label=_("Campaign"), choices=[], method="filter_campaign", empty_label=_("All campaigns")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=[],
        field_name="category__slug",
        empty_label=_("All categories"),
    )

    class Meta:
        model = Idea
        fields = ["campaign", "category"]

    def __init__(self, data=None, *args, campaigns, categories, **kwargs):
        """`campaigns`: (pk, slug, title) to offer; `categories`: (campaign pk, slug, name).

        With a campaign chosen, only its categories are offered. A category of another campaign,
        left over from before the campaign changed, is dropped rather than reported as an error.
        """
        campaign_ids = {slug: pk for pk, slug, _title in campaigns}
        chosen = campaign_ids.get((data or {}).get("campaign") or "")
        names = {}
        for campaign_id, slug, name in categories:
            if chosen is None or campaign_id == chosen:
                names.setdefault(slug, name)
        category = (data or {}).get("category")
        if category and category not in names and any(c[1] == category for c in categories):
            data = data.copy()
            data.pop("category")
        super().__init__(data, *args, **kwargs)
        self.campaign_ids = campaign_ids
        self.filters["campaign"].extra["choices"] = [
            (slug, title) for _pk, slug, title in campaigns
        ]
        self.filters["category"].extra["choices"] = sorted(
            names.items(), key=lambda choice: choice[1].lower()
        )

    def filter_campaign(self, queryset, name, value):
        return queryset.filter(campaign_id=self.campaign_ids[value])
