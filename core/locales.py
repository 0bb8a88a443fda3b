"""The content locales (Wagtail's `Locale` rows), looked up without a query per use.

Pages are translated with Wagtail's localisation: each language has its own page tree and the
pages of one translation group share a `translation_key`. The page in the default locale (the
site's LANGUAGE_CODE) is the *source*: what members post (ideas, votes) belongs to it, and its
translations show the same. Locale rows change only when an administrator adds a language, so
their ids are kept for the process and forgotten whenever a Locale is saved or deleted.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from wagtail.models import Locale

_ids = {}


def locale_id(language_code):
    """The id of the Locale for `language_code` (or its base language), or None."""
    code = (language_code or settings.LANGUAGE_CODE).lower()
    if code not in _ids:
        ids = dict(Locale.objects.values_list("language_code", "pk"))
        found = ids.get(code) or ids.get(code.split("-")[0])
        if found is None:
            return None  # not cached: the locale may be created later
        _ids[code] = found
    return _ids[code]


def default_locale_id():
    return locale_id(settings.LANGUAGE_CODE)


def active_locale_id():
    """The Locale of the language being served (the default one when it has no Locale)."""
    return locale_id(get_language()) or default_locale_id()


def forget(**kwargs):
    _ids.clear()


post_save.connect(forget, sender=Locale, dispatch_uid="core.locales.saved")
post_delete.connect(forget, sender=Locale, dispatch_uid="core.locales.deleted")


def localized(queryset):
    """The pages of `queryset` a reader of the active language should see listed: each page in
    their language, and the default-language page where it has no live translation. So a
    listing at /es/ shows the Spanish campaigns and the English ones not translated yet, and no
    campaign twice. Adds a subquery, not a query."""
    from django.db.models import Q
    from wagtail.models import Page

    default, active = default_locale_id(), active_locale_id()
    if default is None:
        return queryset
    if active == default:
        return queryset.filter(locale_id=default)
    translated = Page.objects.filter(locale_id=active, live=True).values("translation_key")
    return queryset.filter(
        Q(locale_id=active) | (Q(locale_id=default) & ~Q(translation_key__in=translated))
    )


def children_of_translations(queryset, parent):
    """Children of `parent` and, when `parent` is a translation, of its page in the default
    language: the Spanish campaign index lists its own campaigns and the English ones (then
    `localized` keeps one page per campaign). No query for a default-language parent."""
    from django.db.models import Q
    from wagtail.models import Page

    default = default_locale_id()
    paths = [parent.path]
    if default is not None and parent.locale_id != default and parent.translation_key:
        paths += Page.objects.filter(
            translation_key=parent.translation_key, locale_id=default
        ).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path, depth=parent.depth + 1)
    return queryset.filter(condition)


def sources(queryset):
    """The pages of `queryset` that are their translation group's source: in the default
    language, or made in another language first. What members' content belongs to (ideas of a
    campaign), and what lists of campaigns in the admin, the API and feeds offer. Subqueries
    only, so it may be built at import time (a form field's queryset)."""
    from django.db.models import Q
    from wagtail.models import Page

    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).values("pk")
    translated = Page.objects.filter(locale_id__in=default).values("translation_key")
    return queryset.exclude(~Q(locale_id__in=default) & Q(translation_key__in=translated))


def localized_for_search(queryset):
    """`localized` in the terms Wagtail's search accepts (filters on indexed fields and pk): the
    pages in the active or default language, without default-language pages that have a live
    translation in the active one. One query outside the default language."""
    from wagtail.models import Page

    default, active = default_locale_id(), active_locale_id()
    if default is None:
        return queryset
    if active == default:
        return queryset.filter(locale_id=default)
    translated = Page.objects.filter(locale_id=active, live=True).values("translation_key")
    shadowed = list(
        Page.objects.filter(locale_id=default, translation_key__in=translated).values_list(
            "pk", flat=True
        )
    )
    return queryset.filter(locale_id__in=[default, active]).exclude(pk__in=shadowed)


def _get_active(cls):
    """`Locale.get_active()` from the ids kept here: Wagtail asks it on every page request (the
    site root's `localized` page, when routing) and would otherwise query the Locale table each
    time. Same answer as Wagtail's: the active language's Locale, else the default one."""
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        code = get_supported_content_language_variant(get_language())
    except LookupError:
        code = None
    pk = locale_id(code) if code else None
    if pk is None:
        return cls.get_default()
    return cls.from_db(None, ["id", "language_code"], [pk, code])


def install():
    """Called once from CoreConfig.ready."""
    Locale.get_active = classmethod(_get_active)


class ActiveLanguageURLMixin:
    """Page URLs that keep the reader in their language. A page in the default language, linked
    while another language is active (an untranslated campaign listed at /es/, an idea of it, its
    vote button), gets that language's prefix: /es/campaigns/branch/ routes through the Spanish
    tree and, where it lacks the page, through the default one (`cms.models.HomePage.route`), so
    the reader stays in the Spanish interface, as before pages had translations. No query."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if parts is None:
            return parts
        active, default = get_language(), settings.LANGUAGE_CODE
        if not active or active == default or self.locale_id != default_locale_id():
            return parts
        if active not in {code for code, _name in settings.LANGUAGES}:
            return parts
        site_id, root_url, page_path = parts
        prefix = f"/{active}/"
        if page_path is not None and not page_path.startswith(prefix):
            page_path = prefix[:-1] + page_path
        return site_id, root_url, page_path
