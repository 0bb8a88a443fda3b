"""The one builder of the e-mails Cocrea sends (notifications, digests, campaigns): a text and
an HTML part, a stable Message-ID for deliveries (so a receiving system can drop the copy a crash
between "sent" and "recorded" might produce) and RFC 8058 one-click unsubscribe headers."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def from_domain():
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "cocrea.localhost"


def message_id(key):
    """The same delivery key always gives the same Message-ID."""
    return f"<{key.replace(':', '.')}@{from_domain()}>"


def build_email(*, to, subject, text, html, key=None, unsubscribe_url=None, headers=None):
    """An `EmailMultiAlternatives` ready to send. `key` names the delivery (at most one e-mail
    per key); `unsubscribe_url` adds List-Unsubscribe and one-click POST."""
    all_headers = {"Auto-Submitted": "auto-generated"}
    if key:
        all_headers["Message-ID"] = message_id(key)
        all_headers["X-Cocrea-Delivery"] = key
    if unsubscribe_url:
        all_headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        all_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    all_headers.update(headers or {})
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split())[:200], body=text, to=[to], headers=all_headers
    )
    message.attach_alternative(html, "text/html")
    return message
