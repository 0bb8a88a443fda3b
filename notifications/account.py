"""E-mails about a member's own account: they are told when a moderator suspends them and when
the suspension is lifted, in their language. `members` announces both (`member_suspended`,
`member_suspension_lifted`, inside the service's transaction); the e-mail is a row of
`AccountEmailDelivery` written in that same transaction and sent by the one outbox."""

from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import outbox
from core.emails import build_email
from core.links import absolute
from core.outbox import Skip
from members.models import Suspension
from members.permissions import suspension_date
from members.signals import member_suspended, member_suspension_lifted

from .models import AccountEmailDelivery

CHANNEL = "account_email"


def _queue(suspension, kind):
    delivery, created = AccountEmailDelivery.objects.get_or_create(
        key=f"suspension:{suspension.pk}:{kind}",
        defaults={"recipient_id": suspension.member_id, "kind": kind, "suspension": suspension},
    )
    if created:
        outbox.enqueue_on_commit(CHANNEL, delivery.pk)
    return delivery


@receiver(member_suspended, sender=Suspension)
def suspended(sender, suspension, **kwargs):
    _queue(suspension, AccountEmailDelivery.Kind.SUSPENDED)


@receiver(member_suspension_lifted, sender=Suspension)
def lifted(sender, suspension, **kwargs):
    _queue(suspension, AccountEmailDelivery.Kind.LIFTED)


def build_message(delivery):
    member, suspension = delivery.recipient, delivery.suspension
    if not member.email or not member.is_active:
        return None
    language = member.language or settings.LANGUAGE_CODE
    with translation.override(language):
        is_suspended = delivery.kind == AccountEmailDelivery.Kind.SUSPENDED
        context = {
            "member": member,
            "suspension": suspension,
            "is_suspended": is_suspended,
            "until": suspension_date(suspension) if suspension.until else "",
            "code_of_conduct_url": absolute(reverse("code_of_conduct"), language),
            "site_url": absolute("/", language),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "LANGUAGE_CODE": language,
        }
        if is_suspended:
            subject = _("Your %(site)s account is suspended") % {"site": settings.WAGTAIL_SITE_NAME}
        else:
            subject = _("Your %(site)s account is no longer suspended") % {
                "site": settings.WAGTAIL_SITE_NAME
            }
        text = render_to_string("emails/suspension.txt", context)
        html = render_to_string("emails/suspension.html", context)
    return build_email(to=member.email, subject=subject, text=text, html=html, key=delivery.key)


def send(delivery, connection=None):
    message = build_message(delivery)
    if message is None:
        raise Skip(_("Nothing to send: no address, or account closed."))
    message.send()
