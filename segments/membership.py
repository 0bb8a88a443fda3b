"""Reads of the stored membership, cached per *audience generation*: a number that changes
whenever segments, memberships or audiences change, so one bump invalidates every cached
audience answer (segments.audience)."""

import time

from django.core.cache import cache
from django.db import transaction

from .models import SegmentMembership

CACHE_SECONDS = 3600
GENERATION_KEY = "audience:generation"


def generation():
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
