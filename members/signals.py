"""Keeps the denormalized `User.is_team` flag in step with the Product team group, so that
discussions label team members without a query per comment; and announces bulk changes of
member attributes (imports) to whoever keeps data derived from them (segment membership)."""

from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed
from django.dispatch import Signal, receiver

from .models import PRODUCT_TEAM_GROUP, User

# Sent with `member_ids` (a set) after attributes of those members changed without a save()
# per member (an import, a profile edit with its relations), inside the writing transaction.
members_changed = Signal()

# Sent by `members.services.member_suspend` / `member_suspension_lift` inside their transaction,
# with `suspension` (a members.Suspension): the member is told (notifications sends the e-mail).
member_suspended = Signal()
member_suspension_lifted = Signal()


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
