from datetime import timedelta

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignPage
from core.locales import sources

from .models import Appeal, Case, Flag, FlagReason, HeldReason

QUEUES = [
    ("review", _("To review")),
    ("pending", _("Waiting for review (held)")),
    ("flagged", _("Flagged")),
    ("hidden", _("Hidden")),
    ("appeals", _("Open appeals")),
]
AGES = [
    ("1", _("Older than a day")),
    ("7", _("Older than a week")),
    ("30", _("Older than a month")),
]


def open_appeals():
    return Exists(Appeal.objects.filter(decision__case=OuterRef("pk"), status=Appeal.Status.OPEN))


class CaseFilter(django_filters.FilterSet):
    queue = django_filters.ChoiceFilter(
        label=_("Queue"), choices=QUEUES, method="filter_queue", empty_label=_("To review")
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"),
        field_name="idea__campaign",
        queryset=sources(CampaignPage.objects.all()),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Case.Kind.choices)
    reason = django_filters.ChoiceFilter(
        label=_("Reason"),
        choices=[*FlagReason.choices, *HeldReason.choices],
        method="filter_reason",
    )
    age = django_filters.ChoiceFilter(label=_("Age"), choices=AGES, method="filter_age")

    class Meta:
        model = Case
        fields = ["queue", "campaign", "kind", "reason", "age"]

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("queue")):
            queryset = self.filter_queue(queryset, "queue", "review")
        return queryset

    def filter_queue(self, queryset, name, value):
        if value == "pending":
            return queryset.filter(status=Case.Status.PENDING)
        if value == "flagged":
            return queryset.filter(status__in=[Case.Status.FLAGGED, Case.Status.HIDDEN_PENDING])
        if value == "hidden":
            return queryset.filter(
                status__in=[Case.Status.HIDDEN, Case.Status.HIDDEN_PENDING, Case.Status.REJECTED]
            )
        if value == "appeals":
            return queryset.filter(open_appeals())
        return queryset.filter(Q(status__in=Case.OPEN) | Q(open_appeals()))

    def filter_reason(self, queryset, name, value):
        if value in HeldReason.values:
            return queryset.filter(held_reason=value)
        flagged = Flag.objects.filter(case=OuterRef("pk"), reason=value, decision=None)
        return queryset.filter(Exists(flagged))

    def filter_age(self, queryset, name, value):
        return queryset.filter(opened_at__lte=timezone.now() - timedelta(days=int(value)))
