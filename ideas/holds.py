"""Keeping spam out: whether a post (an idea or a comment) is held for review as it is written.

* **blocked words and links** — `ContentRules` (Settings › Content rules) plus `BLOCKED_WORDS`
  / `BLOCKED_DOMAINS`: words and phrases match whole words in any case (no Scunthorpe problem:
  "ass" holds "Ass!" but not "class"); links match by domain, subdomains included
  (`spam.example` holds `https://www.spam.example/x` and a bare `spam.example`, not
  `notspam.example`);
* **a pre-moderated campaign** (`CampaignPage.moderation == HOLD`);
* **a new member's first posts** — held until N of the member's posts were published, N the
  larger of the campaign's `new_member_held_posts` and the site's (setting or content rules).

Moderators (`members.permissions.can_moderate`) are held only by a pre-moderated campaign.
A held post is written as held (`Idea.Status.PENDING`, a comment with `is_public=False`) and
announced with `ideas.signals.content_held` (the moderation app records it for its queue)."""

import re
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment
from wagtail.models import Site

from members.permissions import can_moderate

from .models import ContentRules, Idea

CAMPAIGN, BLOCKED_WORDS, NEW_MEMBER = "campaign", "blocked_words", "new_member"

HELD_MESSAGE = _(
    "Thanks! Your post is waiting for review and will appear once a moderator approves it."
)

_URL_HOST = re.compile(r"(?:https?://|//|www\.)([^\s/?#<>\"'()\[\]]+)", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"(?<![\w@./-])((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=32)
def _words_pattern(words: tuple):
    if not words:
        return None
    alternatives = "|".join(
        r"\s+".join(re.escape(part) for part in word.split())
        for word in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def rules(request=None):
    """The site's content rules (the default site's without a request)."""
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ContentRules()
    return ContentRules.for_site(site)


def hosts_in(text):
    """The host names `text` links to or names (lower case, without port or `www.`)."""
    found = set()
    for match in [*_URL_HOST.finditer(text), *_BARE_DOMAIN.finditer(text)]:
        host = match.group(1).rsplit("@", 1)[-1].split(":", 1)[0].strip(".").lower()
        if host.startswith("www."):
            host = host[4:]
        if "." in host:
            found.add(host)
    return found


def blocked_match(texts, *, words, domains) -> bool:
    """Whether any of `texts` holds a blocked word or phrase, or a link to a blocked domain."""
    pattern = _words_pattern(tuple(w.strip() for w in words if w.strip()))
    domains = {d.strip().lower().removeprefix("www.").strip(".") for d in domains if d.strip()}
    for text in texts:
        text = text or ""
        if pattern is not None and pattern.search(text):
            return True
        if domains:
            for host in hosts_in(text):
                if any(host == d or host.endswith(f".{d}") for d in domains):
                    return True
    return False


def published_posts(member) -> int:
    """How many of the member's posts are out: published ideas and public comments."""
    ideas = Idea.objects.filter(author=member, status=Idea.Status.PUBLISHED).count()
    comments = XtdComment.objects.filter(user=member, is_public=True, is_removed=False).count()
    return ideas + comments


def new_member_threshold(campaign, site_rules) -> int:
    return max(
        campaign.new_member_held_posts or 0,
        site_rules.new_member_held_posts or 0,
        int(getattr(settings, "NEW_MEMBER_HELD_POSTS", 0) or 0),
    )


def hold_reason(*, author, campaign, texts, is_idea=True, request=None) -> str | None:
    """Why a post by `author` in `campaign` with `texts` (title, description or comment) is
    held, or None when it is published at once. A pre-moderated campaign holds ideas (its
    discussion stays open)."""
    pre_moderated = is_idea and campaign.moderation == campaign.Moderation.HOLD
    if can_moderate(author):
        return CAMPAIGN if pre_moderated else None
    site_rules = rules(request)
    if blocked_match(texts, words=site_rules.words(), domains=site_rules.domains()):
        return BLOCKED_WORDS
    if pre_moderated:
        return CAMPAIGN
    threshold = new_member_threshold(campaign, site_rules)
    if threshold and published_posts(author) < threshold:
        return NEW_MEMBER
    return None
