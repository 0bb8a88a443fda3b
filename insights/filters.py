import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignPage
from core.locales import sources
from segments.models import Segment

from .selectors import Scope


class DashboardFilter(django_filters.FilterSet):
    """The dashboard's filters. It filters no queryset itself: `scope()` hands the cleaned
    values to the KPI selectors."""

    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"),
        queryset=sources(CampaignPage.objects.order_by("title")),
        empty_label=_("All campaigns"),
        method="keep",
    )
    since = django_filters.DateFilter(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), method="keep"
    )
    until = django_filters.DateFilter(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}), method="keep"
    )
    segment = django_filters.ModelChoiceFilter(
        label=_("Segment"),
        queryset=Segment.objects.order_by("name"),
        empty_label=_("All members"),
        method="keep",
    )

    class Meta:
        model = CampaignPage
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, queryset=CampaignPage.objects.none(), **kwargs)

    def keep(self, queryset, name, value):
        return queryset

    def scope(self) -> Scope:
        if not self.form.is_valid():
            return Scope()
        data = self.form.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            return Scope()
        return Scope(
            campaign=data.get("campaign"),
            since=since,
            until=until,
            segment=data.get("segment"),
        )

    def clean_error(self):
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            return _("The start date must not be after the end date.")
        return ""
