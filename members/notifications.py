"""Notifications: who hears about an event, in the site and by e-mail.

The outbox worker (`ideas.tasks.process_event`) calls `event_fan_out` inside the event's
transaction: it writes one `Notification` per recipient (the notification centre) and, for those
who want it right away, one `EmailDelivery` keyed `n:<notification>`. Digests collect the rest on
a schedule. `deliver` sends one delivery at most once: the row stays locked while the message goes
out and is marked sent in the same transaction, so a second worker, a redelivered task or the
sweep finds it sent (or locked) and does nothing; a worker killed mid-send leaves it pending for
the next one.
"""

import logging
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ideas.markup import plain_excerpt
from ideas.models import Event

from .audience import members_who_may_see_idea, visible_notifications
from .models import (
    DEFAULT_FREQUENCY,
    EmailDelivery,
    Follow,
    Frequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    User,
)

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 6
UNSUBSCRIBE_SALT = "cocrea.notifications.unsubscribe"
ALL_KINDS = "*"


# Who hears about what ----------------------------------------------------------------------


def recipients(event):
    """{member id: notification kind} for an event; the actor never hears about their own act,
    and members who may not see the idea (its campaign's audience) hear nothing."""
    idea_followers = list(Follow.objects.filter(idea_id=event.idea_id).values_list("member_id"))
    followers = [member_id for (member_id,) in idea_followers]
    found = {}
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
    found.pop(event.actor_id, None)
    allowed = members_who_may_see_idea(found, event.idea_id)
    return {member_id: kind for member_id, kind in found.items() if member_id in allowed}


def _parent_author(event):
    from django_comments_xtd.models import XtdComment

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
    for delivery_id in by_key.values():
        transaction.on_commit(partial(queue_delivery, delivery_id))
    log.debug("event %s: %s notifications, %s e-mails", event.pk, len(new_ids), len(deliveries))
    return len(new_ids)


# Sending ----------------------------------------------------------------------------------


def queue_delivery(delivery_id, countdown=None):
    from .tasks import deliver_email

    try:
        deliver_email.apply_async(args=[delivery_id], countdown=countdown, retry=False)
    except Exception:
        log.exception("e-mail %s left for the sweep", delivery_id)


def sweep(*, older_than):
    """Queue e-mails still waiting since before `older_than`; returns how many."""
    pending = list(
        EmailDelivery.objects.filter(
            status=EmailDelivery.Status.PENDING, created_at__lte=older_than
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
    for delivery_id in pending:
        queue_delivery(delivery_id)
    return len(pending)


def deliver(delivery_id):
    """Send one delivery if it is still pending. Returns its status afterwards, or None when
    another worker holds it. Raises `DeliveryFailed` when it should be retried."""
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=delivery_id)
            .select_related("recipient")
            .first()
        )
        if delivery is None or delivery.status != EmailDelivery.Status.PENDING:
            return delivery.status if delivery else None
        message = build_message(delivery)
        if message is None:
            delivery.status = EmailDelivery.Status.SKIPPED
            delivery.save(update_fields=["status"])
            delivery.items.update(email_done=True)
            return delivery.status
        delivery.attempts += 1
        try:
            message.send()
        except Exception as error:  # SMTP down, refused, …: keep it pending and retry
            delivery.error = f"{type(error).__name__}: {error}"[:1000]
            if delivery.attempts >= MAX_EMAIL_ATTEMPTS:
                delivery.status = EmailDelivery.Status.FAILED
            delivery.save(update_fields=["attempts", "error", "status"])
            failed = delivery.status == EmailDelivery.Status.PENDING
        else:
            failed = False
            delivery.status, delivery.sent_at, delivery.error = "sent", timezone.now(), ""
            delivery.save(update_fields=["attempts", "error", "status", "sent_at"])
            delivery.items.update(email_done=True)
    if failed:
        raise DeliveryFailed(delivery.attempts)
    return delivery.status


class DeliveryFailed(Exception):
    def __init__(self, attempts):
        super().__init__(f"attempt {attempts} failed")
        self.attempts = attempts


# Digests ----------------------------------------------------------------------------------


def digest_period(frequency, now):
    if frequency == Frequency.DAILY:
        return now.date().isoformat()
    year, week, _day = now.isocalendar()
    return f"{year}-W{week:02d}"


def digests_prepare(frequency, now=None):
    """Gather every member's waiting notifications of `frequency` into one digest delivery per
    member and period (a second run in the same period adds nothing). Returns delivery ids."""
    now = now or timezone.now()
    period = digest_period(frequency, now)
    waiting = defaultdict(list)
    for pk, recipient_id, kind in Notification.objects.filter(
        email_done=False, email__isnull=True
    ).values_list("pk", "recipient_id", "kind"):
        waiting[recipient_id].append((pk, kind))
    prefs = frequencies(list(waiting))
    queued = []
    with transaction.atomic():
        for recipient_id, items in waiting.items():
            mine = [
                pk
                for pk, kind in items
                if _digest_frequency(prefs[recipient_id][kind]) == frequency
            ]
            dropped = [pk for pk, kind in items if prefs[recipient_id][kind] == Frequency.NONE]
            if dropped:
                Notification.objects.filter(pk__in=dropped).update(email_done=True)
            if not mine:
                continue
            delivery, _created = EmailDelivery.objects.get_or_create(
                key=f"digest:{recipient_id}:{frequency}:{period}",
                defaults={"recipient_id": recipient_id},
            )
            if delivery.status != EmailDelivery.Status.PENDING:
                continue  # this period's digest went out already; these wait for the next one
            Notification.objects.filter(pk__in=mine, email__isnull=True).update(email=delivery)
            queued.append(delivery.pk)
            transaction.on_commit(partial(queue_delivery, delivery.pk))
    return queued


def _digest_frequency(frequency):
    # Someone who switched to "right away" after the event gets it in the next daily digest.
    return Frequency.DAILY if frequency == Frequency.IMMEDIATE else frequency


# Messages ---------------------------------------------------------------------------------


def absolute(path, language=None):
    if path.startswith(("http://", "https://")):
        return path
    prefix = ""
    if language and language != settings.LANGUAGE_CODE:
        prefix = f"/{language}"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + prefix + path


def unsubscribe_token(member, kind=ALL_KINDS):
    return signing.dumps({"m": member.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(member, kind) or raises signing.BadSignature / User.DoesNotExist."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    kind = data.get("k")
    if kind != ALL_KINDS and kind not in KINDS:
        raise signing.BadSignature("unknown kind")
    return User.objects.get(pk=data["m"]), kind


def unsubscribe(member, kind):
    kinds = KINDS if kind == ALL_KINDS else [kind]
    for one in kinds:
        NotificationPreference.objects.update_or_create(
            member=member, kind=one, defaults={"frequency": Frequency.NONE}
        )
    Notification.objects.filter(
        recipient=member, kind__in=kinds, email_done=False, email__isnull=True
    ).update(email_done=True)


def describe(notification, comments=None):
    """Headline, detail and link of a notification, for the centre and e-mails."""
    event = notification.event
    idea = event.idea
    title = idea.title
    detail = ""
    url = idea.get_absolute_url()
    if notification.kind == NotificationKind.STAGE_CHANGED:
        change = event.stage_change
        headline = _("“%(title)s” moved to %(stage)s") % {
            "title": title,
            "stage": change.to_stage.display_name if change else idea.stage.display_name,
        }
        detail = change.note if change else ""
    elif notification.kind == NotificationKind.RESPONSE:
        headline = _("The product team responded to “%(title)s”") % {"title": title}
        detail = event.stage_change.note if event.stage_change else ""
    elif notification.kind == NotificationKind.MERGED:
        headline = _("“%(title)s” was merged into “%(target)s”") % {
            "title": title,
            "target": event.data.get("target_title", ""),
        }
        detail = event.stage_change.note if event.stage_change else ""
    else:
        comment = (comments or {}).get(event.comment_id)
        who = event.actor.public_name if event.actor_id else _("Someone")
        if notification.kind == NotificationKind.REPLY:
            headline = _("%(name)s replied to your comment on “%(title)s”") % {
                "name": who,
                "title": title,
            }
        else:
            headline = _("%(name)s commented on “%(title)s”") % {"name": who, "title": title}
        if comment is not None:
            detail = plain_excerpt(comment.comment, 300)
            url = f"{url}#c{comment.pk}"
    return {"headline": headline, "detail": detail, "url": url}


def comments_for(notifications):
    from django_comments_xtd.models import XtdComment

    ids = [n.event.comment_id for n in notifications if n.event.comment_id]
    if not ids:
        return {}
    return {
        c.pk: c for c in XtdComment.objects.filter(pk__in=ids, is_public=True, is_removed=False)
    }


def notifications_for_display(queryset):
    """Notifications to show or e-mail, with what `describe` reads. Those about ideas their
    recipient may no longer see (the campaign got an audience since) are left out."""
    return visible_notifications(queryset).select_related(
        "event__idea__campaign",
        "event__idea__stage",
        "event__stage_change__to_stage",
        "event__actor",
    )


def build_message(delivery):
    """The e-mail of a delivery, in the member's language; None when there is nothing to send
    (no address, account closed, member unsubscribed since, items gone)."""
    member = delivery.recipient
    if not member.email or not member.is_active:
        return None
    items = list(notifications_for_display(delivery.items.all()).order_by("created_at", "pk"))
    if not items:
        return None
    prefs = frequencies([member.pk])[member.pk]
    items = [n for n in items if prefs[n.kind] != Frequency.NONE]
    if not items:
        return None
    comments = comments_for(items)
    language = member.language or settings.LANGUAGE_CODE
    is_digest = delivery.key.startswith("digest:")
    kind = ALL_KINDS if is_digest else items[0].kind
    with translation.override(language):
        entries = []
        for n in items:
            entry = describe(n, comments)
            entry["url"] = absolute(entry["url"], language)
            entries.append(entry)
        unsubscribe_url = absolute(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(member, kind)])
        )
        context = {
            "member": member,
            "entries": entries,
            "is_digest": is_digest,
            "unsubscribe_url": unsubscribe_url,
            "unsubscribe_all": kind == ALL_KINDS,
            "settings_url": absolute(reverse("notifications:settings"), language),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        if is_digest:
            subject = _("Your %(site)s digest: %(n)d updates") % {
                "site": settings.WAGTAIL_SITE_NAME,
                "n": len(entries),
            }
        else:
            subject = entries[0]["headline"]
        text = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "cocrea.localhost"
    message = EmailMultiAlternatives(
        subject=subject[:200],
        body=text,
        to=[member.email],
        headers={
            # The same key always gives the same Message-ID, so even a receiving system can
            # drop a copy that a crash between "sent" and "recorded" might produce.
            "Message-ID": f"<{delivery.key.replace(':', '.')}.{delivery.pk}@{domain}>",
            "X-Cocrea-Delivery": delivery.key,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# The notification centre ------------------------------------------------------------------


def unread_recount(member):
    """Store the exact unread count (after marking read, it is recounted, not decremented)."""
    count = visible_notifications(
        Notification.objects.filter(recipient=member, read_at__isnull=True)
    ).count()
    User.objects.filter(pk=member.pk).update(unread_notifications=count)
    member.unread_notifications = count
    return count


def mark_read(member, notification_ids=None):
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=member.pk).values_list("pk").get()
        changed = unread.update(read_at=timezone.now())
        unread_recount(member)
    return changed
