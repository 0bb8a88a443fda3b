"""Segment rules → one query. `matching(segment)` is the live answer (the admin preview, and
what `segments.services.segment_refresh` stores in `SegmentMembership`).

Activity rules ("ideas submitted", "votes cast", "recently active") read data this app does not
own: the apps that own it register how to count it (`register_activity`, in their
`AppConfig.ready`), so segments and the audience policy depend on no domain app."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.auth import get_user_model
from django.db.models import Q, Value
from django.utils import timezone

from .models import Segment

NOTHING = Q(pk__in=[])
CACHE_SECONDS = 3600


def _values(raw):
    return [v.strip() for v in str(raw).split(",") if v.strip()]


def _attribute_q(value):
    attribute, operator = value["attribute"], value["operator"]
    values = _values(value["values"]) if operator == "in" else [str(value["values"]).strip()]
    if attribute == "interests":
        return Q(interests__slug__in=[v.lower() for v in values])
    if attribute == "country":
        values = [v.upper() for v in values]
    elif attribute in ("language", "tier"):
        values = [v.lower() for v in values]
    if attribute in ("company",):
        query = NOTHING
        for v in values:
            query |= Q(company__iexact=v)
        return query
    return Q(**{f"{attribute}__in": values})


@dataclass(frozen=True)
class Activity:
    """How to read one kind of member activity: `count()` is an expression giving a member's
    count (against `OuterRef("pk")` of the member), `since(cutoff)` a condition true when the
    member did it since `cutoff`."""

    count: object
    since: object


_activities = {}


def register_activity(metric, *, count, since):
    _activities[metric] = Activity(count, since)


def _activity_count(metric):
    activity = _activities.get(metric)
    return activity.count() if activity is not None else Value(0)


def _active_since(cutoff):
    condition = Q(last_login__gte=cutoff)
    for activity in _activities.values():
        condition |= activity.since(cutoff)
    return condition


def rules_queryset(match, rules, now=None):
    """Active members matching `rules` (StreamField data) combined with all/any, or None when
    there are no rules."""
    now = now or timezone.now()
    queryset = get_user_model().objects.filter(is_active=True)
    conditions = []
    for n, rule in enumerate(rules):
        kind, value = rule.block_type, rule.value
        if kind == "attribute":
            conditions.append(_attribute_q(value))
        elif kind == "joined":
            moment = timezone.make_aware(datetime.combine(value["date"], clock.min))
            key = "date_joined__lt" if value["when"] == "before" else "date_joined__gte"
            conditions.append(Q(**{key: moment}))
        elif kind == "activity":
            name = f"_activity_{n}"
            queryset = queryset.annotate(**{name: _activity_count(value["metric"])})
            conditions.append(Q(**{f"{name}__gte": value["at_least"]}))
        elif kind == "active_within":
            conditions.append(_active_since(now - timedelta(days=value["days"])))
        elif kind == "group":
            name = value["group"].strip()
            conditions.append(Q(is_staff=True) if name.lower() == "staff" else Q(groups__name=name))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition if match == Segment.Match.ALL else combined | condition
    return queryset.filter(combined).distinct()


def matching(segment, *, match=None, rules=None, include=None, exclude=None, now=None):
    """The members `segment` has right now, computed (not the stored table). Keyword arguments
    override the saved definition, for the admin's live preview of unsaved edits."""
    match = match or segment.match
    rules = segment.rules if rules is None else rules
    if include is None:
        include = segment.include.values_list("pk", flat=True) if segment.pk else []
    if exclude is None:
        exclude = segment.exclude.values_list("pk", flat=True) if segment.pk else []
    include_ids, exclude_ids = set(include), set(exclude)
    by_rules = rules_queryset(match, rules, now=now)
    query = Q(pk__in=include_ids)
    if by_rules is not None:
        query |= Q(pk__in=by_rules.values("pk"))
    return get_user_model().objects.filter(query, is_active=True).exclude(pk__in=exclude_ids)
