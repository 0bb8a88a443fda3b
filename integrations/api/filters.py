import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignPage
from core.locales import sources
from ideas.filters import SORTS
from ideas.models import Idea

# Random order is left out: it is a per-visitor permutation kept in the site's session.
API_SORTS = [
    ("trending", _("Trending")),
    ("top", _("Top")),
    ("newest", _("Newest")),
    ("discussed", _("Most discussed")),
]
DEFAULT_SORT = "trending"


class PublicIdeaFilter(django_filters.FilterSet):
    """The public idea list's filters (`ideas.filters.IdeaFilter`), across campaigns."""

    campaign = django_filters.CharFilter(
        method="filter_campaign", label=_("Campaign id or slug"), max_length=255
    )
    category = django_filters.CharFilter(
        field_name="category__slug", label=_("Category slug"), max_length=80
    )
    stage = django_filters.CharFilter(field_name="stage__slug", label=_("Stage slug"))
    tag = django_filters.CharFilter(field_name="tags__slug", label=_("Tag slug"), max_length=100)
    q = django_filters.CharFilter(
        method="search", label=_("Words in the title or description"), max_length=200
    )
    sort = django_filters.ChoiceFilter(
        choices=API_SORTS, method="sort_ideas", label=_("Order (default: trending)")
    )

    class Meta:
        model = Idea
        fields = ["campaign", "category", "stage", "tag", "q", "sort"]

    def filter_campaign(self, queryset, name, value):
        if value.isdigit():
            return queryset.filter(campaign_id=int(value))
        # Resolve the slug first: with a constant campaign id the planner uses the per-campaign
        # sort indexes instead of sorting every idea of the campaign.
        campaign_id = (
            sources(CampaignPage.objects.filter(slug=value)).values_list("pk", flat=True).first()
        )
        return queryset.filter(campaign_id=campaign_id) if campaign_id else queryset.none()

    def search(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset

    def sort_ideas(self, queryset, name, value):
        return queryset.order_by(*SORTS[value or DEFAULT_SORT])
