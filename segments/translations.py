"""Translations are as private as their source. A page's translations (its copies in the other
languages' trees, sharing its `translation_key`) get:

* the source's audience: `segments.audience` reads the source page's segments for them;
* the source's Wagtail view restrictions (login, password, groups): whenever the source's
  restrictions change, its translations' own are replaced by copies, so `.public()` listings,
  page serving and search treat the Spanish campaign like the English one. (A translation's
  restrictions are set on its source; the copies follow.)
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction

from core.locales import default_locale_id


def mirror_view_restrictions(page):
    """Give every translation of `page` (a default-language page) exactly its restrictions."""
    default = default_locale_id()
    if default is None or page.locale_id != default or not page.translation_key:
        return
    translations = list(
        Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    )
    if not translations:
        return
    restrictions = list(PageViewRestriction.objects.filter(page=page).prefetch_related("groups"))
    PageViewRestriction.objects.filter(page__in=translations).delete()
    for translation in translations:
        for restriction in restrictions:
            copy = PageViewRestriction.objects.create(
                page=translation,
                restriction_type=restriction.restriction_type,
                password=restriction.password,
            )
            copy.groups.set(restriction.groups.all())


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return
    mirror_view_restrictions(page)


def _restriction_groups_changed(sender, instance, action, reverse, **kwargs):
    if action.startswith("post_") and not reverse:
        _restriction_changed(sender, instance)


def connect():
    uid = "segments.translations.restriction"
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"{uid}.saved")
    post_delete.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"{uid}.deleted"
    )
    m2m_changed.connect(
        _restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid=f"{uid}.groups",
    )
