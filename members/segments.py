"""Segments: rules → one query, and the materialized membership table kept in step with it.

`matching(segment)` is the live answer (used by the admin preview); `SegmentMembership` is the
stored one every channel reads (`members.audience`), refreshed by `segment_refresh` when a
segment is saved, by `member_refresh` when a member's profile changes, and nightly for the
activity-based rules (Celery beat)."""

import time
from datetime import datetime, timedelta
from datetime import time as clock

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Segment, SegmentMembership, User

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


def _activity_subquery(metric):
    from django_comments_xtd.models import XtdComment

    from ideas.models import Idea
    from voting.models import Vote

    if metric == "ideas":
        rows = Idea.objects.filter(author=OuterRef("pk")).exclude(status="withdrawn")
        key = "author"
    elif metric == "votes":
        rows, key = Vote.objects.filter(member=OuterRef("pk")), "member"
    else:
        rows = XtdComment.objects.filter(user=OuterRef("pk"), is_public=True, is_removed=False)
        key = "user"
    return Coalesce(
        Subquery(rows.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]), 0
    )


def _active_since(cutoff):
    from django_comments_xtd.models import XtdComment

    from ideas.models import Idea
    from voting.models import Vote

    return (
        Q(last_login__gte=cutoff)
        | Exists(Vote.objects.filter(member=OuterRef("pk"), created_at__gte=cutoff))
        | Exists(Idea.objects.filter(author=OuterRef("pk"), created_at__gte=cutoff))
        | Exists(XtdComment.objects.filter(user=OuterRef("pk"), submit_date__gte=cutoff))
    )


def rules_queryset(match, rules, now=None):
    """Active members matching `rules` (StreamField data) combined with all/any, or None when
    there are no rules."""
    now = now or timezone.now()
    queryset = User.objects.filter(is_active=True)
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
            queryset = queryset.annotate(**{name: _activity_subquery(value["metric"])})
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
    return User.objects.filter(query, is_active=True).exclude(pk__in=exclude_ids)


@transaction.atomic
def segment_refresh(segment, now=None):
    """Bring the stored membership of `segment` in line with its definition. Returns
    (added, removed)."""
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    wanted = set(matching(segment, now=now).values_list("pk", flat=True))
    stored = set(segment.memberships.values_list("member_id", flat=True))
    added, removed = wanted - stored, stored - wanted
    if removed:
        segment.memberships.filter(member_id__in=removed).delete()
    SegmentMembership.objects.bulk_create(
        [SegmentMembership(segment=segment, member_id=m) for m in added],
        ignore_conflicts=True,
        batch_size=2000,
    )
    Segment.objects.filter(pk=segment.pk).update(
        member_count=len(wanted), refreshed_at=timezone.now()
    )
    if added or removed:
        audience_may_change()
    return len(added), len(removed)


def member_refresh(member, now=None):
    """Re-check one member against every segment (after a profile change)."""
    changed = 0
    for segment in Segment.objects.all():
        inside = matching(segment, now=now).filter(pk=member.pk).exists()
        with transaction.atomic():
            if inside:
                _row, created = SegmentMembership.objects.get_or_create(
                    segment=segment, member=member
                )
                changed += created
            else:
                deleted, _rows = SegmentMembership.objects.filter(
                    segment=segment, member=member
                ).delete()
                changed += bool(deleted)
            Segment.objects.filter(pk=segment.pk).update(
                member_count=SegmentMembership.objects.filter(segment=segment).count()
            )
    if changed:
        audience_may_change()
    return changed


GENERATION_KEY = "audience:generation"


def generation():
    """A number that changes whenever segments, memberships or audiences change: every cached
    audience answer is keyed with it, so one bump invalidates them all."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def audience_changed():
    """Start a new audience generation: cached answers from before are no longer used."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def audience_may_change():
    """Call when who-sees-what may change: now (this process sees it at once) and again after
    commit (so an answer another process computed from the old rows in between is dropped)."""
    audience_changed()
    transaction.on_commit(audience_changed)


def segment_ids_of(member):
    """The segments a member is in: one indexed query, cached (per audience generation) and
    kept on the user object for the request."""
    if not getattr(member, "is_authenticated", False):
        return frozenset()
    cached = getattr(member, "_segment_ids", None)
    if cached is None:
        key = f"audience:{generation()}:member:{member.pk}"
        cached = cache.get(key)
        if cached is None:
            cached = frozenset(
                SegmentMembership.objects.filter(member_id=member.pk).values_list(
                    "segment_id", flat=True
                )
            )
            cache.set(key, cached, CACHE_SECONDS)
        member._segment_ids = cached
    return cached
