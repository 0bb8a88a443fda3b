"""Keeps the denormalized `User.is_team` flag in step with the Product team group, so that
discussions label team members without a query per comment."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import PRODUCT_TEAM_GROUP, User
from .segments import audience_changed


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
        transaction.on_commit(audience_changed)
