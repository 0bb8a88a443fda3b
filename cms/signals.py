"""Drop the cached navigation and footer (cms.selectors.site_chrome) when what they show may
have changed: the settings, the site, or a page they may link to (title, slug, live, moved,
deleted). Dropped at once and again after commit, so that a request running meanwhile cannot
keep the old version cached."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move


def _clear(site_ids=None):
    from .selectors import chrome_cache_clear

    chrome_cache_clear(site_ids)
    transaction.on_commit(lambda: chrome_cache_clear(site_ids))


@receiver(post_save)
@receiver(post_delete)
def chrome_settings_or_page_changed(sender, instance, **kwargs):
    from .models import SiteChrome

    if isinstance(instance, SiteChrome):
        _clear([instance.site_id])
    elif isinstance(instance, Site):
        _clear([instance.pk])
    elif isinstance(instance, Page) and not kwargs.get("update_fields"):
        _clear()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def chrome_page_state_changed(sender, instance, **kwargs):
    _clear()
