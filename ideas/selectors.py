"""Reads for the public idea pages. Every one is a fixed number of queries, whatever the data."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Mod, RowNumber
from django.utils import timezone
from django.utils.translation import get_language

from segments.audience import cache_key_part, can_see_page, visible_ideas

from . import similar
from .filters import IdeaFilter, RoadmapFilter
from .models import (
    RANDOM_KEY_MODULUS,
    CampaignIdeaCount,
    Idea,
    IdeaStageChange,
    Stage,
    idea_url,
)

IDEAS_PER_PAGE = 20
SIMILAR_LIMIT = 5
ROADMAP_COLUMN_LIMIT = 30
CHANGELOG_PER_PAGE = 50
FEED_LIMIT = 50
MERGED_HERE_LIMIT = 10


def campaign_ideas(campaign):
    """The campaign's published ideas, from the campaign page in any language: ideas belong to
    the source page (`CampaignPage.source`), and its translations show the same."""
    return Idea.objects.filter(campaign=campaign.source, status=Idea.Status.PUBLISHED)


def idea_list_page(*, campaign, request):
    """The filtered, sorted page of a campaign's idea list and its filter set."""
    filterset = IdeaFilter(
        request.GET,
        queryset=campaign_ideas(campaign).for_cards(),
        campaign=campaign,
        request=request,
    )
    ideas = filterset.qs
    filters = filterset.kept_count_filters
    count = None if filters is None else listed_count(campaign, **filters)
    if filterset.random_seed is not None:
        ideas = RandomOrder(ideas, filterset.random_seed)
    page = CountedPaginator(ideas, IDEAS_PER_PAGE, count=count).get_page(request.GET.get("page"))
    page.object_list = with_urls(page.object_list, campaign_url=campaign.url or "")
    return filterset, page


def listed_count(campaign, **filters):
    """How many ideas the campaign's list shows (published, not merged), in a category and a
    stage if given: the rows kept by triggers on PostgreSQL (ideas.models.CampaignIdeaCount),
    added up; None (count them) on SQLite."""
    if not settings.USING_POSTGRES:
        return None
    counts = CampaignIdeaCount.objects.filter(campaign_id=campaign.source.pk, **filters)
    return counts.aggregate(n=Coalesce(Sum("listed"), 0))["n"]


class CountedPaginator(Paginator):
    """A paginator told the count when it is known (see `listed_count`): it does not count."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count  # the cached_property's slot


class RandomOrder:
    """`sort=random`: ideas by their random key from the seed on, then from the start up to the
    seed (a rotation: the same seed, the same pages, none overlapping). On PostgreSQL a page is
    one query: the ids from two ranges of the (campaign, status, random_key, id) index, each
    read no further than the page's end, then those ideas; nothing is scanned or sorted beyond.
    `ideas` is ordered by ("random_key", "id") (ideas.filters). Sliced and counted by a
    Paginator."""

    def __init__(self, ideas, seed):
        self.ideas, self.seed = ideas, seed

    def count(self):
        return self.ideas.count()

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        if not settings.USING_POSTGRES:
            # SQLite cannot order the parts of a UNION: the same order, computed per row.
            shift = Mod(
                F("random_key") + Value(RANDOM_KEY_MODULUS - self.seed), Value(RANDOM_KEY_MODULUS)
            )
            return list(self.ideas.alias(shift=shift).order_by("shift", "id")[start:stop])
        # The page's ids first, from the bare index ranges (no joins that could make the
        # planner prefer sorting every idea), then those ideas.
        ranges = [
            self.ideas.filter(random_key__gte=self.seed),
            self.ideas.filter(random_key__lt=self.seed),
        ]
        ids = ranges[0].values("pk")[:stop].union(ranges[1].values("pk")[:stop], all=True)
        wrap = Case(When(random_key__gte=self.seed, then=Value(0)), default=Value(1))
        page = self.ideas.filter(pk__in=ids).alias(wrap=wrap)
        return list(page.order_by("wrap", "random_key", "id")[start:stop])


def similar_ideas(*, campaign, text, exclude_pk=None, limit=SIMILAR_LIMIT, viewer=None):
    """Published ideas in the campaign whose title looks like `text` (ideas.similar), for
    `viewer` (None: the product team's own use in the admin): never merged, hidden, withdrawn
    or pending ones, and nothing when the viewer may not see the campaign. At most `limit`."""
    text = " ".join(text.split())[:200]
    if len(text) < 4 or (viewer is not None and not can_see_page(viewer, campaign)):
        return []
    ideas = campaign_ideas(campaign).not_merged().select_related("stage")
    if exclude_pk:
        ideas = ideas.exclude(pk=exclude_pk)
    # The answer is kept a few seconds (ideas.similar.Cached) for the site's hint, per audience
    # as well, though everyone who may see the campaign may see all its published ideas.
    cache_as = None if viewer is None else (campaign.source.pk, cache_key_part(viewer), exclude_pk)
    return similar.rank(ideas, text, min(limit, SIMILAR_LIMIT), cache_as=cache_as)


# The product-team pipeline, public side: roadmap, changelog, feeds, an idea's history. ----------

# What roadmap and changelog cards show, with just enough of the campaign to link the idea.
PIPELINE_CARD_FIELDS = (
    "pk",
    "campaign",
    "title",
    "description",
    "created_at",
    "updated_at",
    "vote_count",
    "response",
    "response_at",
    "stage",
    "stage_changed_at",
    "category__name",
    "category__name_translations",
    "category__slug",
    "campaign__title",
    "campaign__slug",
    "campaign__url_path",
    # For the vote buttons on roadmap cards: the campaign's budget and voting window.
    "campaign__vote_budget",
    "campaign__voting_opens_at",
    "campaign__voting_closes_at",
    "campaign__translation_key",
)


def pipeline_cards(ideas):
    return ideas.select_related("campaign", "category").only(*PIPELINE_CARD_FIELDS)


def with_urls(ideas, request=None, *, campaign_url=None):
    """Give each idea its `url` (see `ideas.models.idea_url`), with the campaign URL worked out
    once per campaign, or given when the list is one campaign's. No query: the campaign came with
    the idea, and Wagtail caches the site root paths."""
    ideas, campaign_urls, titles = list(ideas), {}, {}
    if campaign_url is None:
        campaign_urls, titles = _translated_campaigns(ideas, request)
    for idea in ideas:
        if campaign_url is None:
            # Cards of several campaigns (which came with the idea): the campaign's title in
            # the reader's language. A one-campaign list names no campaign and loads none.
            idea.campaign_title = titles.get(idea.campaign_id) or idea.campaign.title
        if campaign_url is None and idea.campaign_id not in campaign_urls:
            campaign_urls[idea.campaign_id] = idea.campaign.get_url(request) or ""
        known = campaign_url if campaign_url is not None else campaign_urls[idea.campaign_id]
        idea.url = idea_url(idea, known)
    return ideas


def _translated_campaigns(ideas, request):
    """({campaign id: URL of its live translation in the active language}, {campaign id: its
    title}), so the Spanish roadmap and changelog name and link the Spanish campaign pages.
    Nothing (and no query) in the default language; one query otherwise."""
    from wagtail.models import Page

    from core.locales import active_locale_id, default_locale_id

    active = active_locale_id()
    if not ideas or active == default_locale_id():
        return {}, {}
    keys = {idea.campaign.translation_key: idea.campaign_id for idea in ideas}
    urls, titles = {}, {}
    for page in Page.objects.filter(translation_key__in=keys, locale_id=active, live=True):
        urls[keys[page.translation_key]] = page.get_url(request) or ""
        titles[keys[page.translation_key]] = page.title
    return urls, titles


def roadmap_columns(*, request, limit=ROADMAP_COLUMN_LIMIT):
    """The public roadmap: one column per *on roadmap* stage, each with its `limit` most voted
    public ideas and the number left out. A fixed number of queries, whatever the number of
    ideas or stages: the filter choices in one, the ideas in one, ranked per stage by a window
    function."""
    stages = list(Stage.objects.filter(on_roadmap=True).order_by("order", "pk"))
    on_roadmap = visible_ideas(
        Idea.objects.public().filter(stage_id__in=[s.pk for s in stages]), request.user
    )
    # The campaigns and categories that have ideas on the roadmap, for the filter.
    options = list(
        on_roadmap.order_by()
        .values_list(
            "campaign_id",
            "campaign__slug",
            "campaign__title",
            "category__slug",
            "category__name",
            "category__name_translations",
        )
        .distinct()
    )
    filterset = RoadmapFilter(
        request.GET,
        queryset=on_roadmap,
        campaigns=sorted(
            {(c, slug, title) for c, slug, title, _s, _n, _t in options},
            key=lambda c: c[2].lower(),
        ),
        categories=[
            (c, slug, (names or {}).get(get_language() or "") or name)
            for c, _cs, _ct, slug, name, names in options
            if slug
        ],
    )
    per_stage = [F("stage_id")]
    ideas = (
        pipeline_cards(filterset.qs)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=per_stage,
                order_by=[F("vote_count").desc(), F("pk").desc()],
            ),
            column_total=Window(Count("pk"), partition_by=per_stage),
        )
        .filter(rank__lte=limit)
        .order_by("stage_id", "rank")
    )
    by_stage = {stage.pk: [] for stage in stages}
    totals = dict.fromkeys(by_stage, 0)
    cards = with_urls(ideas, request)
    for idea in cards:
        by_stage[idea.stage_id].append(idea)
        totals[idea.stage_id] = idea.column_total
    # With one campaign chosen, "N more" links to that campaign's list, filtered to the stage.
    chosen = filterset.form.cleaned_data.get("campaign")
    campaign_url = cards[0].campaign.get_url(request) if chosen and cards else ""
    category = filterset.form.cleaned_data.get("category")
    columns = []
    for stage in stages:
        for idea in by_stage[stage.pk]:
            idea.stage = stage  # shared, so templates read it without a query
        more = max(totals[stage.pk] - len(by_stage[stage.pk]), 0)
        more_url = ""
        if campaign_url and more:
            query = {
                "stage": stage.slug,
                "sort": "top",
                **({"category": category} if category else {}),
            }
            more_url = f"{campaign_url}?{urlencode(query)}"
        columns.append(
            {
                "stage": stage,
                "ideas": by_stage[stage.pk],
                "total": totals[stage.pk],
                "more": more,
                "more_url": more_url,
            }
        )
    return filterset, columns


def shipped_ideas(*, viewer):
    """Public ideas in the stage with the *shipped* role that `viewer` may see, the most
    recently shipped first. `shipped_at` falls back on the last update for ideas set to
    *shipped* before the stage history existed."""
    shipped = visible_ideas(Idea.objects.public().filter(stage__role=Stage.Role.SHIPPED), viewer)
    return (
        pipeline_cards(shipped)
        .select_related("stage")
        .annotate(shipped_at=Coalesce("stage_changed_at", "updated_at"))
        .order_by(F("shipped_at").desc(), "-pk")
    )


def changelog_page(*, request, page_number, per_page=CHANGELOG_PER_PAGE):
    """One page of the changelog (up to `per_page` ideas), grouped by month of shipping:
    `page.months` is a list of (first day of the month, ideas)."""
    page = Paginator(shipped_ideas(viewer=request.user), per_page).get_page(page_number)
    months = []
    for idea in with_urls(page.object_list, request):
        month = timezone.localtime(idea.shipped_at).date().replace(day=1)
        if not months or months[-1][0] != month:
            months.append((month, []))
        months[-1][1].append(idea)
    page.months = months
    return page


def stage_history(*, idea):
    """The idea's public stage history, newest first, in one query. The actor comes with its
    public name only: no e-mail leaves the database."""
    return list(
        IdeaStageChange.objects.filter(idea=idea)
        .select_related("from_stage", "to_stage", "actor")
        .only(
            "pk",
            "idea_id",
            "from_stage_id",
            "to_stage_id",
            "note",
            "created_at",
            "from_stage__name",
            "from_stage__name_translations",
            "from_stage__colour",
            "to_stage__name",
            "to_stage__name_translations",
            "to_stage__colour",
            "actor__username",
            "actor__display_name",
        )
        .order_by("-created_at", "-pk")
    )


def _merged_into(target):
    """Published duplicates merged into `target` (an idea or an `OuterRef`)."""
    return Idea.objects.filter(merged_into=target, status=Idea.Status.PUBLISHED)


def merged_ideas_count():
    """An expression for the number of published ideas merged into each idea: annotate the idea
    with it, so a page learns whether there are any without a query of its own."""
    counts = _merged_into(OuterRef("pk")).order_by().values("merged_into").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n")), 0)


def merged_ideas(*, idea, limit=MERGED_HERE_LIMIT):
    """Up to `limit` published ideas merged into `idea`, the most recently merged first: title and
    pk only (merges stay within a campaign, so the idea's campaign gives their URL)."""
    return list(
        _merged_into(idea)
        .only("pk", "title", "campaign_id")
        .order_by(F("stage_changed_at").desc(nulls_last=True), "-pk")[:limit]
    )
