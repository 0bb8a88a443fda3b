"""Writes of notifications that a member makes: e-mail preferences (the settings page and the
unsubscribe link) and marking notifications read. Views and the unsubscribe flow come here."""

from django.db import transaction
from django.utils import timezone

from members.models import User
from segments.audience import visible_notifications

from .fan_out import KINDS
from .messages import ALL_KINDS
from .models import Frequency, Notification, NotificationPreference


@transaction.atomic
def preferences_set(*, member, frequencies):
    """Save a member's choice per kind ({kind: frequency}); kinds switched to "no e-mail" drop
    what was waiting for a digest. Returns the kinds that changed."""
    unknown = set(frequencies) - set(KINDS)
    if unknown or not set(frequencies.values()) <= set(Frequency.values):
        raise ValueError(f"unknown notification kinds or frequencies: {frequencies}")
    current = dict(
        NotificationPreference.objects.filter(member=member).values_list("kind", "frequency")
    )
    changed = []
    for kind, frequency in frequencies.items():
        if current.get(kind) == frequency:
            continue
        NotificationPreference.objects.update_or_create(
            member=member, kind=kind, defaults={"frequency": frequency}
        )
        changed.append(kind)
    silenced = [kind for kind, frequency in frequencies.items() if frequency == Frequency.NONE]
    if silenced:
        Notification.objects.filter(
            recipient=member, kind__in=silenced, email_done=False, email__isnull=True
        ).update(email_done=True)
    return changed


def notifications_unsubscribe(*, member, kind=ALL_KINDS):
    """No more e-mail for `kind` (or every kind): what the unsubscribe link does."""
    kinds = KINDS if kind == ALL_KINDS else [kind]
    return preferences_set(member=member, frequencies=dict.fromkeys(kinds, Frequency.NONE))


def unread_recount(member):
    """Store the exact unread count (after marking read, it is recounted, not decremented)."""
    count = visible_notifications(
        Notification.objects.filter(recipient=member, read_at__isnull=True)
    ).count()
    User.objects.filter(pk=member.pk).update(unread_notifications=count)
    member.unread_notifications = count
    return count


def notifications_mark_read(*, member, notification_ids=None):
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=member.pk).values_list("pk").get()
        changed = unread.update(read_at=timezone.now())
        unread_recount(member)
    return changed
