"""What a notification says (the centre and e-mails) and the e-mail of a delivery, built by
the one e-mail builder (`core.emails`) with the one unsubscribe flow (`core.unsubscribe`)."""

import logging
from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from core.emails import build_email
from core.links import absolute
from core.outbox import Skip
from core.unsubscribe import url_for
from ideas.markup import plain_excerpt
from ideas.models import Idea
from moderation import notices as moderation_notices
from segments.audience import visible_notifications

from .fan_out import frequencies
from .models import EmailDelivery, Frequency, Notification, NotificationKind

ALL_KINDS = "*"
HIDDEN_STATUSES = (Idea.Status.HIDDEN, Idea.Status.REJECTED)
NOT_PREPARED = object()
log = logging.getLogger(__name__)


def describe(notification, comments=None):
    """Headline, detail and link of a notification, for the centre and e-mails."""
    event = notification.event
    idea = event.idea
    title = idea.title
    detail = ""
    url = idea.get_absolute_url()
    if notification.kind == NotificationKind.MODERATION:
        decision_id = (event.data or {}).get("decision")
        decision = (comments or {}).get(("decision", decision_id))
        if decision is None:
            decision = moderation_notices.decisions_for([event]).get(decision_id)
        return moderation_notices.describe(event, decision)
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
        if notification.kind == NotificationKind.HELPFUL:
            headline = _("The product team marked your comment on “%(title)s” helpful") % {
                "title": title
            }
        elif notification.kind == NotificationKind.REPLY:
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
    """What the notifications refer to, in bulk: their comments (by pk) and the moderation
    decisions (by ("decision", pk)) that `describe` reads."""
    found = {}
    decided = [n.event for n in notifications if n.kind == NotificationKind.MODERATION]
    if decided:
        for pk, decision in moderation_notices.decisions_for(decided).items():
            found["decision", pk] = decision
    ids = [
        n.event.comment_id
        for n in notifications
        if n.event.comment_id and n.kind != NotificationKind.MODERATION
    ]
    if ids:
        found.update(
            (c.pk, c)
            for c in XtdComment.objects.filter(pk__in=ids, is_public=True, is_removed=False)
        )
    return found


def notifications_for_display(queryset):
    """Notifications to show or e-mail, with what `describe` reads. Those about ideas their
    recipient may no longer see (the campaign got an audience since) are left out."""
    # Content a moderator hid leaves the notifications too (its author still reads the
    # decision itself).
    hidden_comment = XtdComment.objects.filter(pk=OuterRef("event__comment_id"), is_public=False)
    queryset = queryset.exclude(
        ~Q(kind=NotificationKind.MODERATION)
        & (Q(event__idea__status__in=HIDDEN_STATUSES) | Exists(hidden_comment))
    )
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
    return _message(delivery, items, prefs, comments_for(items))


def build_messages(delivery_ids):
    """{delivery id: its e-mail or None} for many deliveries in a few queries (a batch prepares
    its messages this way; each is still sent only once its row is claimed)."""
    deliveries = list(EmailDelivery.objects.filter(pk__in=delivery_ids).select_related("recipient"))
    items = defaultdict(list)
    for n in notifications_for_display(
        Notification.objects.filter(email_id__in=delivery_ids)
    ).order_by("created_at", "pk"):
        items[n.email_id].append(n)
    prefs = frequencies([d.recipient_id for d in deliveries])
    comments = comments_for([n for found in items.values() for n in found])
    messages = {}
    for delivery in deliveries:
        member = delivery.recipient
        if not member.email or not member.is_active or not items[delivery.pk]:
            messages[delivery.pk] = None
        else:
            messages[delivery.pk] = _message(
                delivery, items[delivery.pk], prefs[member.pk], comments
            )
    return messages


def _message(delivery, items, prefs, comments):
    member = delivery.recipient
    items = [n for n in items if prefs[n.kind] != Frequency.NONE]
    if not items:
        return None
    language = member.language or settings.LANGUAGE_CODE
    is_digest = delivery.key.startswith("digest:")
    kind = ALL_KINDS if is_digest else items[0].kind
    with translation.override(language):
        entries = []
        for n in items:
            entry = describe(n, comments)
            entry["url"] = absolute(entry["url"], language)
            entries.append(entry)
        unsubscribe_url = url_for(member, kind, language)
        context = {
            "member": member,
            "entries": entries,
            "is_digest": is_digest,
            "is_moderation": kind == NotificationKind.MODERATION,
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
    return build_email(
        to=member.email,
        subject=subject,
        text=text,
        html=html,
        key=delivery.key,
        unsubscribe_url=unsubscribe_url,
    )


def send(delivery, connection=None, message=NOT_PREPARED):
    """The outbox channel's sender (see `apps.py`); `connection` is the batch's open mail
    connection (`smtp_session`), or None for a connection of its own; `message` what
    `build_messages` prepared for it."""
    if message is NOT_PREPARED:
        message = build_message(delivery)
    if message is None:
        raise Skip(_("Nothing to send: no address, account closed, unsubscribed or nothing left."))
    if connection is not None:
        connection.open()  # no-op while open; reconnects after the server dropped us
        message.connection = connection
    message.send()


@contextmanager
def smtp_session():
    """One mail connection for a batch of deliveries (the outbox channel's session)."""
    connection = get_connection()
    try:
        yield connection
    finally:
        try:
            connection.close()
        except Exception:  # a broken connection at the end of a batch changes nothing sent
            log.warning("notifications: closing the mail connection failed", exc_info=True)


def mark_items_done(delivery):
    """Once a delivery is final, its notifications are done (sent, or nothing to send)."""
    if delivery.status in (delivery.Status.SENT, delivery.Status.SKIPPED):
        delivery.items.update(email_done=True)


def mark_many_done(deliveries):
    """`mark_items_done` for the deliveries a batch sent, in one statement."""
    Notification.objects.filter(email_id__in=[d.pk for d in deliveries]).update(email_done=True)
