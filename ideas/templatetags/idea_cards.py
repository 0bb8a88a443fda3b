"""The cards of an idea list in one tag, `{% idea_cards ideas %}`, without a template render per
card for what every viewer sees alike.

A card is two parts:

* its body (components/idea_card.html): the same for every viewer. Rendered once per distinct
  *content* and language, then reused from a bounded in-process cache. The cache key is a digest
  of every value the template reads (`card_content`), so an edit, a new comment, a stage move or
  a vote changes the key: a cached body can never be stale, and it holds nothing of the viewer.
  Which ideas a viewer may see is decided before (the list's query), never by the cache.
* its vote button, the viewer's own state (voted or not, votes left, voting open): made by
  `ideas_tags.vote_button` exactly as before (the same context, the same action URL), then
  rendered once per distinct state and reused (`_vote_html`). The page's CSRF token is put in
  after: the cached HTML holds a placeholder, never a token.

Both work with JavaScript off: the HTML is the one the templates write."""

import hashlib
from collections import OrderedDict
from threading import Lock

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.widgets import plain_widget

from ..filters import FORM_CACHE_SECONDS, filter_form_version
from .ideas_tags import vote_button

register = template.Library()

CARD_TEMPLATE = "components/idea_card.html"
VOTE_TEMPLATE = "components/vote_button.html"
VOTE_SLOT = mark_safe("<!--vote-slot-->")  # noqa: S308 - a constant
CSRF_PLACEHOLDER = "csrf-placeholder-0f3c9a"  # noqa: S105 (not a secret: replaced by the token)


class BoundedCache:
    """A small LRU of rendered HTML by key (this process only; bounded, so memory stays flat)."""

    def __init__(self, maxsize):
        self.maxsize, self.items, self.lock = maxsize, OrderedDict(), Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def set(self, key, value):
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.maxsize:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


# ~1.5 kB a card body, ~1 kB a vote button: under 1.5 MB together per worker (25 pages of 20
# cards). The per-process caches of rendered HTML add up (this, ideas.discussion, ideas.markup:
# about 4.5 MB in all, issue 13 "worker memory flat"), so each is kept small.
card_bodies = BoundedCache(500)
vote_buttons = BoundedCache(500)


def card_content(idea):
    """Everything components/idea_card.html reads of an idea, in the active language. A new
    field shown on the card must be added here (tests/test_idea_card_cache.py checks that a
    change of each shows)."""
    stage, category, author = idea.stage, idea.category, idea.author if idea.author_id else None
    return (
        get_language(),
        idea.pk,
        idea.url,
        idea.title,
        idea.description,
        (stage.pk, stage.colour, stage.display_name) if stage is not None else None,
        category.display_name if category is not None else None,
        idea.author_id,
        idea.author_name,
        author.reputation_level if author is not None else None,
        idea.created_at.isoformat() if idea.created_at else None,
        idea.comment_count,
        idea.image.name if idea.image else "",
    )


def _digest(values):
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def _card_body(idea):
    key = _digest(card_content(idea))
    html = card_bodies.get(key)
    if html is None:
        html = get_template(CARD_TEMPLATE).render({"idea": idea, "vote_slot": VOTE_SLOT})
        card_bodies.set(key, html)
    return html


def _vote_state(values, idea):
    """The vote button's inputs as a key: the tag's context (the viewer's state, the action URL)
    and what the template reads of the idea, the request and the user."""
    request, user = values.get("request"), values.get("user")
    stage = idea.stage
    plain = tuple(
        sorted(
            (name, repr(value))
            for name, value in values.items()
            if name not in {"idea", "request", "user", "csrf_token"}
        )
    )
    return (
        get_language(),
        plain,
        idea.pk,
        idea.campaign_id,
        (stage.pk, stage.is_closed) if stage is not None else None,
        request.get_full_path() if request is not None else None,
        bool(getattr(user, "is_authenticated", False)),
    )


def _vote_html(context, idea):
    values = vote_button(context, idea)
    token = values.get("csrf_token")
    token = str(token) if token else ""
    if not token or token == "NOTPROVIDED":  # noqa: S105 (Django's "no token")
        return get_template(VOTE_TEMPLATE).render(values)  # as the tag would, uncached
    key = _digest(_vote_state(values, idea))
    html = vote_buttons.get(key)
    if html is None:
        html = get_template(VOTE_TEMPLATE).render({**values, "csrf_token": CSRF_PLACEHOLDER})
        vote_buttons.set(key, html)
    return html.replace(CSRF_PLACEHOLDER, token)


@register.simple_tag(takes_context=True)
def idea_cards(context, ideas):
    """The cards of `ideas`, each with the viewer's vote button (see the module docstring)."""
    parts = []
    for idea in ideas:
        body = _card_body(idea)
        parts.append(body.replace(VOTE_SLOT, _vote_html(context, idea), 1))
    return mark_safe("\n".join(parts))  # noqa: S308 - autoescaped template output


def _filter_fields_html(form):
    parts = [str(field) for field in form.hidden_fields()]
    for field in form.visible_fields():
        parts.append(
            format_html(
                '<div class="field field--inline">\n          <label for="{}">{}</label>\n'
                "          {}\n        </div>",
                field.id_for_label,
                field.label,
                plain_widget(field),
            )
        )
    return "\n".join(parts)


@register.simple_tag
def idea_filter_fields(filterset, campaign):
    """The fields of a campaign's filter form, cached per campaign, language and the values
    chosen (the form's data), until a category or stage changes (`ideas.filters`): the choices
    are the same for every viewer of the campaign, and the form holds nothing of the viewer."""
    form = filterset.form
    version = filter_form_version()
    if version is None:  # no cache: render
        return mark_safe(_filter_fields_html(form))  # noqa: S308 - escaped by format_html
    chosen = tuple(
        (
            name,
            tuple(form.data.getlist(name))
            if hasattr(form.data, "getlist")
            else (form.data.get(name),),
        )
        for name in form.fields
    )
    key = f"idea-filter:{version}:{get_language()}:{campaign.source.pk}:{_digest(chosen)}"
    html = cache.get(key)
    if html is None:
        html = _filter_fields_html(form)
        cache.set(key, html, FORM_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - escaped by format_html
