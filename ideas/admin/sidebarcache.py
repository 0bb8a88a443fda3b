"""Wagtail's sidebar and keyboard-shortcuts dialog for the idea list, rendered once and kept in
the cache: building the sidebar asks every menu item's `is_shown` (permission checks, a query
or more each) and packs the whole menu as JSON, about a tenth of the list's time, and it is the
same on every request of one member.

What the sidebar shows (Wagtail 8, `wagtailadmin_tags.sidebar_props`) depends only on the
member (their permissions and groups, name, avatar, dismissed items), the language, the menu
items registered and the pages and sites their `is_shown` looks at: no CSRF token, no nonce, no
current address (the active item is found in the browser). It is kept per member and language
(`sidebar_key`). The dialog depends only on the language, the platform (Mac or not, from the
User-Agent) and whether the member turned shortcuts off, and is kept per those.

A generation in the cache is renewed whenever a user, group, permission, Wagtail page,
collection or site permission, user profile, site or page is saved or deleted or a
user's groups or permissions change (`connect`, from `ideas.apps`), at once and again after the
commit, so an entry made from data a transaction was changing is never used after it commits.
Entries also expire (SIDEBAR_TTL). Without Redis every read misses and both are rendered as
before (core.cache.FaultTolerantRedisCache)."""

import re
import uuid

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags.wagtailadmin_tags import keyboard_shortcuts_dialog, sidebar_props

SIDEBAR_TTL = 600
GENERATION_KEY = "ideas:admin:sidebar:generation"
# User fields a save of which changes nothing the sidebar shows (the sidebar uses the name,
# e-mail for the avatar, and the permission flags).
NOT_SHOWN = frozenset({"last_login", "unread_notifications", "reputation_level"})


def sidebar_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    return generation


def renew_sidebar_generation(**kwargs):
    fields = kwargs.get("update_fields")
    if fields and frozenset(fields) <= NOT_SHOWN:
        return

    def renew():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def renew_on_page_change(sender, instance=None, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        renew_sidebar_generation(**kwargs)


def sidebar_key(request):
    return f"ideas:admin:sidebar:{sidebar_generation()}:{request.user.pk}:{get_language()}"


def sidebar_props_html(request):
    """The markup of Wagtail's `{% sidebar_props %}` for `request`, from the cache when it was
    rendered before for this member and language."""
    key = sidebar_key(request)
    html = cache.get(key)
    if html is None:
        html = sidebar_props({"request": request})
        cache.set(key, str(html), SIDEBAR_TTL)
    return mark_safe(html)  # noqa: S308 (Wagtail's json_script, rendered here)


def keyboard_shortcuts_html(request):
    """The markup of Wagtail's `{% keyboard_shortcuts_dialog %}` for `request`."""
    context = keyboard_shortcuts_dialog({"request": request})
    is_mac = bool(re.search(r"Mac|iPod|iPhone|iPad", request.headers.get("User-Agent", "")))
    enabled = context["keyboard_shortcuts_enabled"]
    key = f"ideas:admin:keyboard:{sidebar_generation()}:{get_language()}:{is_mac:d}:{enabled:d}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("wagtailadmin/shared/keyboard_shortcuts_dialog.html", context)
        cache.set(key, str(html), SIDEBAR_TTL)
    return mark_safe(html)  # noqa: S308 (rendered here, from Wagtail's template)


def connect():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import GroupCollectionPermission, GroupPagePermission, Site
    from wagtail.signals import page_unpublished, post_page_move
    from wagtail.users.models import UserProfile

    User = get_user_model()
    models = (User, Group, Permission, GroupPagePermission, GroupCollectionPermission, Site)
    for model in (*models, UserProfile):
        uid = f"ideas-admin-sidebar-{model._meta.label_lower}"
        post_save.connect(renew_sidebar_generation, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(renew_sidebar_generation, sender=model, dispatch_uid=uid + "-delete")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            renew_sidebar_generation,
            sender=through,
            dispatch_uid=f"ideas-admin-sidebar-m2m-{through._meta.label_lower}",
        )
    post_save.connect(renew_on_page_change, dispatch_uid="ideas-admin-sidebar-page-save")
    post_delete.connect(renew_on_page_change, dispatch_uid="ideas-admin-sidebar-page-delete")
    post_page_move.connect(renew_on_page_change, dispatch_uid="ideas-admin-sidebar-page-move")
    page_unpublished.connect(renew_on_page_change, dispatch_uid="ideas-admin-sidebar-unpublish")
