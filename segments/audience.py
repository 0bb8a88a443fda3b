"""Who may see what: the one place audience rules are decided ("private means private").

A page with an empty audience is for everyone; otherwise only members of at least one of its
segments see it (staff see everything, to edit and preview). Ideas inherit their campaign's
audience. Every channel — page serving, listings, search, the API, feeds, the sitemap, similar
ideas, notifications and e-mails — asks here:

* `can_see_page(user, page)` / `can_see_idea(user, idea)` for one object (outsiders get a 404,
  so existence does not leak);
* `hidden_page_ids(user)` / `visible_pages(queryset, user)` / `visible_ideas(queryset, user)`
  for lists; `anyone()` is the viewer of the channels that carry no identity (feeds,
  sitemap, webhooks);
* `members_who_may_see_idea(member_ids, idea)` and `visible_notifications(queryset)` for
  notifications and e-mails;
* `viewer_segment_ids(request)` wherever a template decides by segment (it honours "preview as");
* `cache_key_part(user)` for anything cached per audience.

See docs/audience.md.
"""

import copy

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField

from members.models import User

from .membership import CACHE_SECONDS, generation, segment_ids_of
from .models import Segment, SegmentMembership

# Preview modes (see AudienceMixin.serve_preview).
PREVIEW_ANONYMOUS = "anonymous"
PREVIEW_SEGMENT_PREFIX = "segment:"


def view_restrictions(page):
    """Wagtail's `Page.get_view_restrictions` as one (lazy) query instead of two: the
    restrictions on `page` and on its ancestors, an alias's being those of its source page.
    Wagtail reads the ancestors first, on every request to a page."""
    from django.db.models import Q
    from wagtail.models import Page, PageViewRestriction

    if not view_restrictions_exist():  # the usual case: no query on every page view
        return PageViewRestriction.objects.none()
    step = Page.steplen
    chain = Page.objects.filter(
        path__in=[page.path[:end] for end in range(step, len(page.path) + 1, step)]
    )
    return PageViewRestriction.objects.filter(
        Q(page__in=chain.filter(alias_of__isnull=True).values("pk"))
        | Q(page__in=chain.filter(alias_of__isnull=False).values("alias_of_id"))
    )


VIEW_RESTRICTIONS_KEY = "audience:view-restrictions-exist"
VIEW_RESTRICTIONS_SECONDS = 60  # bounds what a lost cache delete (Redis away) could leave


def view_restrictions_exist():
    """Whether any Wagtail view restriction (password, sign-in, groups) exists, cached until
    one is added or removed (`segments.signals`); read from the database without the cache."""
    from wagtail.models import PageViewRestriction

    exist = cache.get(VIEW_RESTRICTIONS_KEY)
    if exist is None:
        exist = PageViewRestriction.objects.exists()
        cache.set(VIEW_RESTRICTIONS_KEY, exist, VIEW_RESTRICTIONS_SECONDS)
    return exist


def view_restrictions_changed():
    cache.delete(VIEW_RESTRICTIONS_KEY)


class AudienceMixin(models.Model):
    audience = ParentalManyToManyField(
        "segments.Segment",
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
        # Routable pages (campaigns) come here for every sub-route too: ideas, submit, vote…
        if not can_see_page(request.user, self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        # A translation is restricted like its source, even before the copies of the source's
        # restrictions are made (segments.translations).
        restrictions = view_restrictions(self)
        from core.locales import default_locale_id

        default = default_locale_id()
        if default is None or self.locale_id == default or not self.translation_key:
            return restrictions
        from wagtail.models import Page, PageViewRestriction

        source = Page.objects.filter(
            translation_key=self.translation_key, locale_id=default
        ).first()
        if source is None:
            return restrictions
        return restrictions | PageViewRestriction.objects.filter(
            pk__in=source.get_view_restrictions().values("pk")
        )

    def get_sitemap_urls(self, request=None):
        # The sitemap is for anyone (search engines): a page with an audience is never listed.
        if self.pk in page_audiences():
            return []
        return super().get_sitemap_urls(request)

    # Preview as an audience ------------------------------------------------------------------

    @property
    def preview_modes(self):
        return [
            ("", _("Default")),
            (PREVIEW_ANONYMOUS, _("As an anonymous visitor")),
            *(
                (f"{PREVIEW_SEGMENT_PREFIX}{pk}", _("As %(segment)s") % {"segment": name})
                for pk, name in Segment.objects.order_by("name").values_list("pk", "name")
            ),
        ]

    def serve_preview(self, request, mode_name):
        """Render the page as the chosen audience would see it: its listings, its targeted
        blocks, and a 404 when that audience may not see the page at all. The editor stays
        signed in (the user bar still shows); only what the policy reads is replaced."""
        preview = _preview_audience(mode_name)
        if preview is not None:
            request.audience_preview = preview
            request.user = _stand_in(request.user, preview)
            # Judge by the audience in the editor's form (possibly unsaved), not the stored one.
            audience = {segment.pk for segment in self.audience.all()}
            if audience and not audience & viewer_segment_ids(request):
                raise Http404
            mode_name = ""
        return super().serve_preview(request, mode_name)


def _preview_audience(mode_name):
    """PREVIEW_ANONYMOUS, a frozenset of segment ids, or None (not an audience preview)."""
    if mode_name == PREVIEW_ANONYMOUS:
        return PREVIEW_ANONYMOUS
    if mode_name and mode_name.startswith(PREVIEW_SEGMENT_PREFIX):
        pk = mode_name.removeprefix(PREVIEW_SEGMENT_PREFIX)
        if pk.isdigit():
            return frozenset({int(pk)})
    return None


def _stand_in(editor, preview):
    """Who the policy judges during a preview: an anonymous visitor, or a copy of the editor
    that is no longer staff and is in exactly the previewed segments. The Wagtail user bar
    still asks the real editor whether to show itself."""

    def may_open_admin(perm, obj=None):
        return perm == "wagtailadmin.access_admin" and editor.has_perm(perm, obj)

    if preview == PREVIEW_ANONYMOUS:
        viewer = AnonymousUser()
    else:
        editor.pk  # noqa: B018 — resolve a lazy user, so the copy is of the real one
        viewer = copy.copy(editor)
        viewer.is_staff = viewer.is_superuser = viewer.is_team = False
        viewer._segment_ids = frozenset(preview)
        viewer.__dict__.pop("_hidden_page_ids", None)
        viewer.__dict__.pop("_perm_cache", None)
    viewer.has_perm = may_open_admin
    viewer.audience_preview = preview
    return viewer


def viewer_segment_ids(request):
    """The segments the page is being rendered for: the previewed ones when an editor previews
    "as" an audience (`request.audience_preview`), else the signed-in member's. Use it wherever
    a template decides by segment (the targeted block)."""
    preview = getattr(request, "audience_preview", None)
    if preview == PREVIEW_ANONYMOUS:
        return frozenset()
    if preview is not None:
        return frozenset(preview)
    return segment_ids_of(getattr(request, "user", None))


def sees_everything(user):
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def audience_models():
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, AudienceMixin)]


def page_audiences():
    """{page id: {segment ids}} for every page that has an audience: one query, cached until
    the next audience change (see `segments.signals`)."""
    key = f"audience:{generation()}:pages"
    cached = cache.get(key)
    if cached is None:
        cached = _page_audiences()
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _page_audiences():
    return _follow_sources(_own_audiences())


def _follow_sources(audiences):
    """A translation has the audience of its source, the page in the default language: a
    restricted campaign's Spanish page is restricted the same way, whatever its own field says
    (editors set the audience on the source). One query, only when some page has a
    translation."""
    from wagtail.models import Page

    from core.locales import default_locale_id

    default = default_locale_id()
    if default is None:
        return audiences
    groups = {}
    for pk, key, locale in Page.objects.filter(
        translation_key__in=Page.objects.exclude(locale_id=default).values("translation_key")
    ).values_list("pk", "translation_key", "locale_id"):
        groups.setdefault(key, []).append((pk, locale))
    for members in groups.values():
        sources = [pk for pk, locale in members if locale == default]
        if not sources:
            continue  # made in another language first: its own audience stands
        segments = audiences.get(sources[0])
        for pk, locale in members:
            if locale == default:
                continue
            if segments:
                audiences[pk] = set(segments)
            else:
                audiences.pop(pk, None)
    return audiences


def _own_audiences():
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


def anyone():
    """The viewer of the channels that carry no identity (feeds, sitemap, webhooks): what it
    may see, anyone may. A new object each time: answers are cached on the viewer."""
    return AnonymousUser()


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


def members_who_may_see_idea(member_ids, idea):
    """The subset of `member_ids` who may see `idea`, for notifications and e-mails: everyone
    when its campaign has no audience, else staff and members of the audience. No query while
    no page has an audience; at most one otherwise."""
    member_ids = set(member_ids)
    if not member_ids or not page_audiences():
        return member_ids
    return members_who_may_see_page(member_ids, idea.campaign_id)


def members_who_may_see_page(member_ids, page_id):
    member_ids = set(member_ids)
    segments = page_audiences().get(page_id)
    if not segments or not member_ids:
        return member_ids
    allowed = (
        models.Q(is_staff=True)
        | models.Q(is_superuser=True)
        | models.Q(segment_memberships__segment_id__in=segments)
    )
    return set(
        User.objects.filter(allowed, pk__in=member_ids).values_list("pk", flat=True).distinct()
    )


def visible_notifications(queryset, *, recipient="recipient", campaign="event__idea__campaign"):
    """Notifications whose recipient may (still) see the idea they are about: drops those of
    campaigns that became restricted after the event. Recipients are read per row, so this
    works for one member's centre and for a delivery's items alike."""
    by_audience = {}
    for page, segments in page_audiences().items():
        by_audience.setdefault(frozenset(segments), []).append(page)
    if not by_audience:
        return queryset
    insider = models.Q(**{f"{recipient}__is_staff": True}) | models.Q(
        **{f"{recipient}__is_superuser": True}
    )
    hidden = models.Q(pk__in=[])
    for segments, pages in by_audience.items():
        member = SegmentMembership.objects.filter(
            member_id=models.OuterRef(f"{recipient}_id"), segment_id__in=segments
        )
        hidden |= models.Q(**{f"{campaign}_id__in": pages}) & ~models.Exists(member)
    return queryset.exclude(hidden & ~insider)


def cache_key_part(user):
    """What the policy varies on, for cache keys: everything, or the sorted segment ids."""
    if sees_everything(user):
        return "staff"
    return "s" + "-".join(str(s) for s in sorted(segment_ids_of(user)))
