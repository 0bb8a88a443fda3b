"""Reads of the stored membership, cached per *audience generation*: a number that changes
whenever segments, memberships or audiences change, so one bump invalidates every cached
audience answer (segments.audience). The number is kept in PostgreSQL (`AudienceGeneration`);
the cache holds a copy for AUDIENCE_GENERATION_CACHE_SECONDS (a bump the cache missed while
Redis was away is seen by then), so a Redis outage costs one indexed query per request and never
shows anyone what they may not see."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max

from .models import AudienceGeneration, SegmentMembership

CACHE_SECONDS = 3600
GENERATION_KEY = "audience:generation"
# Rows of AudienceGeneration kept when pruning (only the highest matters).
GENERATION_KEEP = 100


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = AudienceGeneration.objects.aggregate(n=Max("pk"))["n"] or 0
        cache.set(GENERATION_KEY, value, _copy_seconds())
    return value


def _copy_seconds():
    return getattr(settings, "AUDIENCE_GENERATION_CACHE_SECONDS", 5)


def audience_changed():
    """Start a new audience generation: cached answers from before are no longer used."""
    value = AudienceGeneration.objects.create().pk
    cache.set(GENERATION_KEY, value, _copy_seconds())


def generations_prune():
    """Drop old generation rows (nightly); the highest one is the generation."""
    latest = AudienceGeneration.objects.aggregate(n=Max("pk"))["n"]
    if latest:
        AudienceGeneration.objects.filter(pk__lte=latest - GENERATION_KEEP).delete()


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
