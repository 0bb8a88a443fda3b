"""Who gets a campaign: computed in SQL, in one query."""

from django.db.models import Count, Exists, OuterRef

from members.models import User
from segments.models import SegmentMembership


def audience_ids(article):
    """The segments an article is restricted to (empty: everyone)."""
    return set(article.audience.values_list("pk", flat=True))


def target_segment_ids(campaign):
    """The chosen segments, or else the article's audience (empty: everyone)."""
    chosen = set(campaign.segments.values_list("pk", flat=True)) if campaign.pk else set()
    return chosen or audience_ids(campaign.article)


def _in_any(segment_ids):
    return Exists(
        SegmentMembership.objects.filter(member_id=OuterRef("pk"), segment_id__in=segment_ids)
    )


def marketing_audience():
    """Members who may receive marketing e-mail at all: active, with an address, who opted in
    and did not withdraw (unsubscribing clears `marketing_consent_at`)."""
    return User.objects.filter(is_active=True, marketing_consent_at__isnull=False).exclude(email="")


def campaign_recipients(campaign, segment_ids=None):
    """The members a campaign goes to. Whatever segments the editor chose, a restricted article
    only ever goes to members of its audience (private means private: segments.audience), and
    staff get no exception here, unlike on the site."""
    queryset = marketing_audience()
    chosen = target_segment_ids(campaign) if segment_ids is None else set(segment_ids)
    if not chosen and segment_ids is not None:
        chosen = audience_ids(campaign.article)
    if chosen:
        queryset = queryset.filter(_in_any(chosen))
    audience = audience_ids(campaign.article)
    if audience and audience != chosen:
        queryset = queryset.filter(_in_any(audience))
    return queryset


def delivery_counts(campaign):
    """{status: count} of a campaign's deliveries, every status present (one indexed query)."""
    from .models import MarketingDelivery

    counts = dict.fromkeys(MarketingDelivery.Status.values, 0)
    counts.update(
        campaign.deliveries.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return counts
