"""Keeping derived state in step, after commit and never failing the save:

* anything that may change who sees what (a page's audience, a segment) starts a new audience
  generation, which invalidates every cached audience answer (segments.membership);
* a change to what segment rules look at (a member's attributes, groups, interests; a segment's
  rules or hand-picked members) queues a refresh of the stored membership (segments.services:
  at most one per member or segment and transaction)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from members.models import User
from members.signals import members_changed

from .membership import audience_may_change
from .models import Segment
from .services import member_refresh_queue, segment_refresh_queue, segments_refresh_all_queue

# Above this many changed members an import refreshes every segment once instead of queueing
# one task per member.
MEMBER_REFRESH_BATCH = 200

# Fields of User that segment rules read; saving only others (last_login on every sign-in, the
# password, the consent stamp) needs no refresh.
SEGMENT_FIELDS = frozenset(
    {
        "country",
        "language",
        "tier",
        "company",
        "external_id",
        "is_active",
        "is_staff",
        "date_joined",
    }
)


def audience_may_have_changed(sender, instance, **kwargs):
    audience_may_change()


def connect_audience_models(models):
    """Connect the audience receiver to each page model with an audience (see `apps.py`):
    receivers always name their sender."""
    for model in (*models, Segment):
        uid = f"segments.audience.{model._meta.label_lower}"
        post_save.connect(audience_may_have_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(audience_may_have_changed, sender=model, dispatch_uid=uid)


@receiver(post_save, sender=User)
def member_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if created or update_fields is None or SEGMENT_FIELDS.intersection(update_fields):
        member_refresh_queue(instance.pk)


@receiver(members_changed, sender=User)
def members_attributes_changed(sender, member_ids, **kwargs):
    if len(member_ids) > MEMBER_REFRESH_BATCH:
        segments_refresh_all_queue()
    else:
        for member_id in sorted(member_ids):
            member_refresh_queue(member_id)


def _members_changed(instance, reverse, pk_set):
    if not reverse:
        member_refresh_queue(instance.pk)
    elif pk_set is None:  # a group or interest cleared of all its members
        segments_refresh_all_queue()
    else:
        for member_id in pk_set:
            member_refresh_queue(member_id)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.interests.through)
def member_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        _members_changed(instance, reverse, pk_set)


@receiver(post_save, sender=Segment)
def segment_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        segment_refresh_queue(instance.pk)


@receiver(m2m_changed, sender=Segment.include.through)
@receiver(m2m_changed, sender=Segment.exclude.through)
def hand_picked_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        segment_refresh_queue(instance.pk)
    else:
        for segment_id in pk_set or ():
            segment_refresh_queue(segment_id)


@receiver(post_save, sender="wagtailcore.PageViewRestriction")
@receiver(post_delete, sender="wagtailcore.PageViewRestriction")
def view_restriction_changed(sender, **kwargs):
    """A view restriction added or removed: pages check for them again (now and after commit)."""
    from django.db import transaction

    from .audience import view_restrictions_changed

    view_restrictions_changed()
    transaction.on_commit(view_restrictions_changed)
