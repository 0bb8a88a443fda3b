"""The one unsubscribe flow. Every e-mail carries a signed link naming the member and a
*topic* (all notifications, one notification kind, or marketing e-mails); apps register what
unsubscribing from their topics does (`register_topic`, in their `AppConfig.ready`), and one
view (`core.views.unsubscribe_view`) shows the button and calls the handler. Links need no
sign-in: the signed token is the credential."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import translation

from .links import absolute
from .tokens import make_token, read_token

PURPOSE = "unsubscribe"
# Links in e-mails sent before the flows were merged keep working.
LEGACY_SALTS = {
    "cocrea.notifications.unsubscribe": lambda data: data.get("k"),
    "cocrea.mailings.unsubscribe": lambda data: "marketing",
}


@dataclass(frozen=True)
class Topic:
    name: str
    label: object  # what "no more e-mails for: …" names; lazily translated
    handler: object  # handler(member) does the unsubscribing (through a service)
    done_note: object = ""  # a sentence under "Done", e.g. where to opt in again


_topics = {}


def register_topic(name, label, handler, done_note=""):
    _topics[name] = Topic(name, label, handler, done_note)


def topic(name):
    return _topics[name]


def token_for(member, topic_name):
    return make_token(PURPOSE, m=member.pk, t=topic_name)


def url_for(member, topic_name, language=None):
    """The absolute one-click link, in `language` (the e-mail's)."""
    with translation.override(language or translation.get_language()):
        path = reverse("unsubscribe", args=[token_for(member, topic_name)])
    return absolute(path)


def read(token):
    """(member, Topic) of a token; raises `signing.BadSignature` (also for an unknown topic)
    or `User.DoesNotExist`."""
    try:
        data = read_token(PURPOSE, token)
        name = data.get("t")
    except signing.BadSignature:
        data, name = None, None
        for salt, topic_of in LEGACY_SALTS.items():
            try:
                data = signing.loads(token, salt=salt)
            except signing.BadSignature:
                continue
            name = topic_of(data)
            break
        if data is None:
            raise
    if name not in _topics:
        raise signing.BadSignature("unknown topic")
    return get_user_model().objects.get(pk=data["m"]), _topics[name]
