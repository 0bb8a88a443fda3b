"""Who hears about an event, in the site and by e-mail.

`event_fan_out` is subscribed to the event bus (see `apps.py`): the worker that processes an
outbox event calls it inside the event's transaction. It writes one `Notification` per recipient
(the notification centre) and, for those who want it right away, one `EmailDelivery` keyed
`n:<notification>`, sent through the core outbox; digests collect the rest on a schedule."""

import logging
from collections import defaultdict

from django.db.models import F
from django_comments_xtd.models import XtdComment

from core.outbox import enqueue_many_on_commit
from ideas.models import Event, Follow
from members.models import User
from segments.audience import members_who_may_see_idea

from .models import (
    DEFAULT_FREQUENCY,
    EmailDelivery,
    Frequency,
    Notification,
    NotificationKind,
    NotificationPreference,
)

log = logging.getLogger(__name__)
CHANNEL = "email"


def recipients(event):
    """{member id: notification kind} for an event; the actor never hears about their own act,
    and members who may not see the idea (its campaign's audience) hear nothing."""
    idea_followers = list(Follow.objects.filter(idea_id=event.idea_id).values_list("member_id"))
    followers = [member_id for (member_id,) in idea_followers]
    found = {}
    if event.kind == Event.Kind.MODERATION:
        # Only the author of the content hears of a moderator's decision on it.
        recipient = (event.data or {}).get("recipient")
        return {recipient: NotificationKind.MODERATION} if recipient else {}
    if event.kind == Event.Kind.STAGE_CHANGED:
        found = dict.fromkeys(followers, NotificationKind.STAGE_CHANGED)
    elif event.kind == Event.Kind.RESPONSE:
        found = dict.fromkeys(followers, NotificationKind.RESPONSE)
    elif event.kind == Event.Kind.MERGED:
        # The source's followers now follow the target; they were recorded with the event.
        found = dict.fromkeys(event.data.get("followers", []), NotificationKind.MERGED)
    elif event.kind == Event.Kind.COMMENT_CREATED:
        found = dict.fromkeys(followers, NotificationKind.COMMENT)
        parent_author = _parent_author(event)
        if parent_author:
            found[parent_author] = NotificationKind.REPLY
    elif event.kind == Event.Kind.COMMENT_HELPFUL:
        # Recorded by reputation's `comment_mark_helpful`: the comment's author hears of it.
        author = (event.data or {}).get("author")
        if author:
            found = {author: NotificationKind.HELPFUL}
    found.pop(event.actor_id, None)
    allowed = members_who_may_see_idea(found, event.idea)
    return {member_id: kind for member_id, kind in found.items() if member_id in allowed}


def _parent_author(event):
    parent = (event.data or {}).get("parent")
    if not parent:
        return None
    return XtdComment.objects.filter(pk=parent).values_list("user_id", flat=True).first()


def frequencies(member_ids):
    """{member id: {kind: frequency}} including defaults, in one query."""
    chosen = defaultdict(dict)
    for member_id, kind, frequency in NotificationPreference.objects.filter(
        member_id__in=member_ids
    ).values_list("member_id", "kind", "frequency"):
        chosen[member_id][kind] = frequency
    return {
        member_id: {kind: chosen[member_id].get(kind, DEFAULT_FREQUENCY[kind]) for kind in KINDS}
        for member_id in member_ids
    }


KINDS = [kind for kind, _label in NotificationKind.choices]


def event_fan_out(event):
    """Write the notifications and immediate e-mails of `event`. Runs inside the transaction
    that marks the event processed, so it happens exactly once per event."""
    wanted = recipients(event)
    if not wanted:
        return 0
    active = set(User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))
    already = set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))
    new_ids = [
        member_id for member_id in wanted if member_id in active and member_id not in already
    ]
    if not new_ids:
        return 0
    prefs = frequencies(new_ids)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=member_id,
                event=event,
                kind=wanted[member_id],
                email_done=prefs[member_id][wanted[member_id]] == Frequency.NONE,
            )
            for member_id in new_ids
        ]
    )
    User.objects.filter(pk__in=new_ids).update(unread_notifications=F("unread_notifications") + 1)
    if not notifications or notifications[0].pk is None:  # databases without RETURNING
        notifications = list(Notification.objects.filter(event=event, recipient_id__in=new_ids))
    immediate = [n for n in notifications if prefs[n.recipient_id][n.kind] == Frequency.IMMEDIATE]
    deliveries = EmailDelivery.objects.bulk_create(
        [EmailDelivery(key=f"n:{n.pk}", recipient_id=n.recipient_id) for n in immediate],
        ignore_conflicts=True,
    )
    by_key = dict(
        EmailDelivery.objects.filter(key__in=[f"n:{n.pk}" for n in immediate]).values_list(
            "key", "pk"
        )
    )
    for n in immediate:
        n.email_id = by_key[f"n:{n.pk}"]
    Notification.objects.bulk_update(immediate, ["email"])
    enqueue_many_on_commit(CHANNEL, by_key.values())
    log.debug("event %s: %s notifications, %s e-mails", event.pk, len(new_ids), len(deliveries))
    return len(new_ids)


# Sending ----------------------------------------------------------------------------------
