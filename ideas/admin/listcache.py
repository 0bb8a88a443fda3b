"""The idea list's filter menu (the drilldown of ten filters in the list's header), rendered once
per language and filter values and kept in the cache: its choices (campaigns, stages,
categories, tags in use, the team) take five queries and its ten fields a template each, the
same for every member of the team.

What the menu shows depends only on the language, the filter values in the address (the
selected choices, any error) and the rows its choices list; nothing in it is the viewer's
(no CSRF token, no nonce, no per-user data). A generation in the cache is renewed whenever a
campaign, stage, category, tag, tagging or user is saved or deleted (`connect`, from
`ideas.apps`), at once and again after the commit, so an entry made from data a transaction was
changing is never used after it commits. Entries also expire (FILTERS_TTL). Without Redis
every read misses and the menu is rendered as before (core.cache.FaultTolerantRedisCache)."""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

FILTERS_TTL = 600
GENERATION_KEY = "ideas:admin:filters:generation"
# Address parameters that do not change the filter menu.
NOT_FILTERS = {"p", "ordering", "q", "_w_filter_fragment"}


def filters_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    return generation


def renew_filters_generation(**kwargs):
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a sign-in changes nothing the menu shows

    def renew():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def filters_key(request):
    values = sorted(
        (name, tuple(values)) for name, values in request.GET.lists() if name not in NOT_FILTERS
    )
    digest = hashlib.sha256(repr(values).encode()).hexdigest()[:32]
    return f"ideas:admin:filters:{filters_generation()}:{get_language()}:{digest}"


def filters_html(request, filters):
    """The markup of wagtailadmin/shared/headers/_filters.html for `filters` (a bound
    IdeaAdminFilterSet of `request.GET`), from the cache when it was rendered before."""
    key = filters_key(request)
    html = cache.get(key)
    if html is None:
        html = render_to_string("wagtailadmin/shared/headers/_filters.html", {"filters": filters})
        cache.set(key, str(html), FILTERS_TTL)
    return mark_safe(html)  # noqa: S308 (rendered here, from templates)


def connect():
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from taggit.models import Tag

    from campaigns.models import CampaignPage, Category

    from ..models import Stage, TaggedIdea

    for model in (CampaignPage, Stage, Category, Tag, TaggedIdea, get_user_model()):
        uid = f"ideas-admin-filters-{model._meta.label_lower}"
        post_save.connect(renew_filters_generation, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(renew_filters_generation, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(
        renew_filters_generation, sender=TaggedIdea, dispatch_uid="ideas-admin-filters-tagging"
    )
