"""Signed tokens for links that act without signing in (unsubscribe). One scheme, one salt per
purpose: a token made for one purpose never reads as another's."""

from django.core import signing

SALT_PREFIX = "cocrea.token."


def make_token(purpose, **data):
    return signing.dumps(data, salt=SALT_PREFIX + purpose, compress=True)


def read_token(purpose, token):
    """The data of a token; raises `signing.BadSignature` when it was not made for `purpose`
    (or was tampered with)."""
    data = signing.loads(token, salt=SALT_PREFIX + purpose)
    if not isinstance(data, dict):
        raise signing.BadSignature("not a token")
    return data


def mask_email(address):
    """Enough of the address to recognise it, not enough to learn it from a forwarded link:
    ana.garcia@example.com → a…a@example.com."""
    local, _at, domain = (address or "").partition("@")
    if len(local) <= 2:
        return f"{local[:1]}…@{domain}"
    return f"{local[0]}…{local[-1]}@{domain}"
