"""No lost work: the idea form's draft survives sign-in and an ended session.

When a visitor (or a member whose session ended) posts the idea form, `idea_submit` keeps what
they typed as an `IdeaDraft` and sends them to sign in with a signed token in the `next` link
(`?draft=…`) and the draft's key in a cookie of their browser. Back on the form, signed in,
`draft_restore` hands the fields back once both match; the member then owns the draft, and it is
shown to no one else (another member, or another browser without the cookie, gets an empty
form). A draft is deleted once the idea is submitted, and after `DRAFT_MAX_AGE` in any case.
An image cannot be kept this way: the member is told to attach it again."""

import secrets
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone

from .models import DESCRIPTION_MAX, TITLE_MAX, IdeaDraft

DRAFT_MAX_AGE = timedelta(days=7)
DRAFT_COOKIE = "cocrea_idea_draft"
DRAFT_PARAM = "draft"
FIELDS = {"title": TITLE_MAX, "description": DESCRIPTION_MAX, "category": 20, "tags": 400}
_SALT = "ideas.drafts"


def draft_data(post) -> dict:
    """The idea form's fields from a POST, cut to their limits; empty when nothing was typed."""
    data = {name: str(post.get(name, ""))[:limit] for name, limit in FIELDS.items()}
    return data if any(data[name].strip() for name in ("title", "description", "tags")) else {}


def draft_keep(*, campaign, data, member=None) -> IdeaDraft:
    """Store a draft (and forget the expired ones)."""
    IdeaDraft.objects.filter(created_at__lt=timezone.now() - DRAFT_MAX_AGE).delete()
    return IdeaDraft.objects.create(
        key=secrets.token_urlsafe(32),
        campaign=campaign,
        member=member if member is not None and member.is_authenticated else None,
        data=data,
    )


def draft_token(draft) -> str:
    return signing.dumps(draft.key, salt=_SALT)


def _key(token):
    try:
        return signing.loads(token, salt=_SALT, max_age=DRAFT_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None


def draft_restore(*, request, campaign, token) -> dict | None:
    """The fields of the draft `token` names, for the signed-in member of `request`, or None:
    an unclaimed draft needs its browser's cookie and is claimed by this member; a claimed one
    is this member's only."""
    key = _key(token) if token else None
    member = request.user
    if key is None or not member.is_authenticated:
        return None
    since = timezone.now() - DRAFT_MAX_AGE
    drafts = IdeaDraft.objects.filter(key=key, campaign=campaign, created_at__gte=since)
    with transaction.atomic():
        draft = drafts.select_for_update().first()
        if draft is None:
            return None
        if draft.member_id is None:
            if not secrets.compare_digest(request.COOKIES.get(DRAFT_COOKIE, ""), key):
                return None
            draft.member = member
            draft.save(update_fields=["member"])
        elif draft.member_id != member.pk:
            return None
    return dict(draft.data)


def draft_discard(*, request, campaign, token):
    """The member's draft is done with (the idea is submitted)."""
    key = _key(token) if token else None
    if key is not None and request.user.is_authenticated:
        IdeaDraft.objects.filter(key=key, campaign=campaign, member=request.user).delete()
