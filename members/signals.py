"""Keeps the denormalized `User.is_team` flag in step with the Product team group, so that
discussions label team members without a query per comment."""

from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import PRODUCT_TEAM_GROUP, Segment, User
from .segments import audience_may_change
from .services import member_refresh_queue, segment_refresh_queue, segments_refresh_all_queue


def team_flags_sync(user_ids=None):
    in_team = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name=PRODUCT_TEAM_GROUP
    )
    users = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    users.update(is_team=Exists(in_team))


@receiver(m2m_changed, sender=User.groups.through)
def sync_team_flag(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        team_flags_sync([instance.pk])
    elif instance.name == PRODUCT_TEAM_GROUP:
        team_flags_sync(None if action == "post_clear" else pk_set)


# Audience: anything that may change who sees what bumps the audience generation after commit,
# which invalidates every cached audience answer (members.audience, members.segments).


@receiver([post_save, post_delete])
def audience_may_have_changed(sender, instance, **kwargs):
    from .audience import AudienceMixin
    from .models import Segment

    if isinstance(instance, AudienceMixin | Segment):
        audience_may_change()


# Segment membership: a change to what rules look at queues a refresh after commit (see
# members.services: at most one per member or segment and transaction; never fails the save).

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


@receiver(post_save, sender=User)
def member_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if created or update_fields is None or SEGMENT_FIELDS.intersection(update_fields):
        member_refresh_queue(instance.pk)


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
