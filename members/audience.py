"""Who may see what: the one place audience rules are decided ("private means private").

A page with an empty audience is for everyone; otherwise only members of at least one of its
segments see it (staff see everything, to edit and preview). Ideas inherit their campaign's
audience. Every channel — page serving, listings, search, the API, feeds, the sitemap, similar
ideas, notifications and e-mails — asks here:

* `can_see_page(user, page)` for one page (outsiders get a 404, so existence does not leak);
* `hidden_page_ids(user)` / `visible_pages(queryset, user)` / `visible_ideas(queryset, user)`
  for lists;
* `cache_key_part(user)` for anything cached per audience.
"""

from django.core.cache import cache
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField

from .segments import CACHE_SECONDS, generation, segment_ids_of


class AudienceMixin(models.Model):
    audience = ParentalManyToManyField(
        "members.Segment",
        blank=True,
        related_name="+",
        verbose_name=_("audience"),
        help_text=_(
            "Only members of these segments see this page (and, for a campaign, its ideas). "
            "Empty: everyone."
        ),
    )

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if not can_see_page(request.user, self):
            raise Http404
        return super().serve(request, *args, **kwargs)


def sees_everything(user):
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def audience_models():
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, AudienceMixin)]


def page_audiences():
    """{page id: {segment ids}} for every page that has an audience: one query, cached until
    the next audience change (see `members.signals`)."""
    key = f"audience:{generation()}:pages"
    cached = cache.get(key)
    if cached is None:
        cached = _page_audiences()
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _page_audiences():
    queries = []
    for model in audience_models():
        through = model.audience.through
        page_field = f"{model._meta.model_name}_id"
        queries.append(
            through.objects.annotate(page=models.F(page_field))
            .values_list("page", "segment_id")
            .order_by()
        )
    if not queries:
        return {}
    rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    audiences = {}
    for page_id, segment_id in rows:
        audiences.setdefault(page_id, set()).add(segment_id)
    return audiences


def hidden_page_ids(user):
    """Ids of the pages `user` may not see (cached on the user object for the request)."""
    if sees_everything(user):
        return frozenset()
    cached = getattr(user, "_hidden_page_ids", None)
    if cached is None:
        mine = segment_ids_of(user)
        cached = frozenset(
            page for page, segments in page_audiences().items() if not segments & mine
        )
        try:
            user._hidden_page_ids = cached
        except AttributeError:  # AnonymousUser allows attributes too; be safe anyway
            pass
    return cached


def can_see_page(user, page):
    return page.pk not in hidden_page_ids(user)


def visible_pages(queryset, user):
    hidden = hidden_page_ids(user)
    return queryset.exclude(pk__in=hidden) if hidden else queryset


def visible_ideas(queryset, user):
    hidden = hidden_page_ids(user)
    return queryset.exclude(campaign_id__in=hidden) if hidden else queryset


def can_see_idea(user, idea):
    return idea.campaign_id not in hidden_page_ids(user)


def cache_key_part(user):
    """What the policy varies on, for cache keys: everything, or the sorted segment ids."""
    if sees_everything(user):
        return "staff"
    return "s" + "-".join(str(s) for s in sorted(segment_ids_of(user)))
