"""Reads of moderation: the queue's page, a member's flags on the ideas shown, the figures."""

import statistics
from collections import Counter, defaultdict
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils.functional import SimpleLazyObject

from .models import Appeal, Case, Decision, Flag, FlagReason

QUEUE_PER_PAGE = 25


def queue_page(queryset, page_number, per_page=QUEUE_PER_PAGE):
    """One page of cases with what a row shows — the item, its campaign, the open flags and their
    reasons, the latest decision and an open appeal — in a fixed number of queries."""
    queryset = (
        queryset.select_related("idea__campaign", "comment", "author")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.filter(decision=None)))
        .order_by("opened_at", "pk")
    )
    page = Paginator(queryset, per_page).get_page(page_number)
    cases = list(page.object_list)
    ids = [case.pk for case in cases]
    latest, appeals = {}, {}
    if ids:
        for decision in (
            Decision.objects.filter(case_id__in=ids)
            .select_related("reason", "moderator")
            .order_by("case_id", "-created_at", "-pk")
        ):
            latest.setdefault(decision.case_id, decision)
        for appeal in Appeal.objects.filter(
            decision__case_id__in=ids, status=Appeal.Status.OPEN
        ).select_related("decision__reason"):
            appeals[appeal.decision.case_id] = appeal
    labels = dict(FlagReason.choices)
    for case in cases:
        case.latest_decision = latest.get(case.pk)
        case.open_appeal = appeals.get(case.pk)
        counts = Counter(flag.reason for flag in case.flags.all())
        case.flag_reasons = [(labels[r], n) for r, n in counts.most_common()]
        case.flag_texts = [flag.text for flag in case.flags.all() if flag.text]
    page.cases = cases
    return page


def flagged_by(member, ideas):
    """{"reported_ideas": ids, "reported_comments": ids} the member flagged among `ideas`
    (and their comments): one query, none for visitors."""
    if not (member and member.is_authenticated) or not ideas:
        return {"reported_ideas": set(), "reported_comments": set()}
    rows = Flag.objects.filter(member=member, case__idea__in=[i.pk for i in ideas]).values_list(
        "case__idea_id", "case__comment_id"
    )
    reported_ideas, reported_comments = set(), set()
    for idea_id, comment_id in rows:
        if comment_id:
            reported_comments.add(comment_id)
        else:
            reported_ideas.add(idea_id)
    return {"reported_ideas": reported_ideas, "reported_comments": reported_comments}


def page_context(request, campaign, ideas):
    """For idea pages (`ideas.hooks`): what the member reported, and the flag reasons. Lazy:
    the one query runs only if the page asks (the idea page does, the campaign list does not)."""
    ideas = list(ideas)
    found = SimpleLazyObject(lambda: flagged_by(request.user, ideas))
    return {
        "reported_ideas": SimpleLazyObject(lambda: found["reported_ideas"]),
        "reported_comments": SimpleLazyObject(lambda: found["reported_comments"]),
        "flag_reasons": FlagReason.choices,
        # The item of the page's one flag form (moderation/flag_form_template.html): its ids
        # say __item__ until the form is copied into a comment's report widget.
        "flag_placeholder": {"pk": "__item__"},
    }


def moderation_figures(*, since=None, until=None, campaign=None):
    """For the dashboard: decisions taken in [since, until) (on `campaign`'s content):
    items reviewed, the median time from entering the queue to the decision, the share of
    flags that were upheld, and the appeals lodged against them with their outcomes."""
    decisions = Decision.objects.filter(appeal=None)
    if since is not None:
        decisions = decisions.filter(created_at__gte=since)
    if until is not None:
        decisions = decisions.filter(created_at__lt=until)
    if campaign is not None:
        decisions = decisions.filter(case__idea__campaign=campaign)
    rows = list(decisions.values_list("case_id", "created_at", "case_opened_at"))
    waits = [(decided - opened).total_seconds() for _case, decided, opened in rows]
    flags = Flag.objects.filter(decision__in=decisions).aggregate(
        total=Count("pk"), upheld=Count("pk", filter=Q(upheld=True))
    )
    outcomes = defaultdict(int)
    for status, n in (
        Appeal.objects.filter(decision__in=decisions)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    ):
        outcomes[status] = n
    return {
        "decisions": len(rows),
        "items_reviewed": len({case for case, _d, _o in rows}),
        "median_time_to_decision": timedelta(seconds=statistics.median(waits)) if waits else None,
        "flags": flags["total"],
        "flags_upheld": flags["upheld"],
        "flags_upheld_share": flags["upheld"] / flags["total"] if flags["total"] else None,
        "appeals": sum(outcomes.values()),
        "appeals_open": outcomes[Appeal.Status.OPEN],
        "appeals_upheld": outcomes[Appeal.Status.UPHELD],
        "appeals_overturned": outcomes[Appeal.Status.OVERTURNED],
    }


def case_queryset():
    return Case.objects.all()
