"""Light markdown for member text, always sanitized with nh3 before it reaches a page."""

import hashlib
import html
import sys
import threading
from collections import OrderedDict

import markdown as md
import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


# One Markdown renderer per thread, reset before each text (building one costs more than a short
# comment's rendering), and the sanitised HTML of recent texts kept: a page of 200 comments is
# rendered once, then read from the cache while the texts do not change.
_local = threading.local()
# What each cache of recent texts may hold, in bytes of results. Bounded by size, not by number:
# 4096 entries of up to 10,000-character descriptions (and their HTML, and the texts as keys) grew
# a web worker by up to 130 MB over a long run (issue 13); now a worker holds at most this much
# per cache, keyed by the text's digest.
RENDER_CACHE_BYTES = 3 * 2**18  # 0.75 MB each (see ideas.templatetags.idea_cards)


class _Recent:
    """The results of recently seen texts, least recently used first out once their total size
    passes `max_bytes`. Thread-safe; a result is made outside the lock."""

    def __init__(self, make, max_bytes):
        self.make, self.max_bytes = make, max_bytes
        self.items, self.size = OrderedDict(), 0
        self.lock = threading.Lock()

    def __call__(self, text):
        key = hashlib.blake2b(text.encode(), digest_size=20).digest()
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found
        value = self.make(text)
        cost = sys.getsizeof(value) + 100  # the entry's key and bookkeeping
        with self.lock:
            if key not in self.items and cost <= self.max_bytes:
                self.items[key] = value
                self.size += cost
                while self.size > self.max_bytes:
                    _key, old = self.items.popitem(last=False)
                    self.size -= sys.getsizeof(old) + 100
        return value

    def clear(self):
        with self.lock:
            self.items.clear()
            self.size = 0


def _renderer():
    renderer = getattr(_local, "markdown", None)
    if renderer is None:
        renderer = _local.markdown = md.Markdown(
            extensions=["sane_lists", "nl2br"], output_format="html"
        )
    return renderer


def render_markdown(text):
    return _recent_html(str(text) if text else "")


def _render(text):
    renderer = _renderer()
    renderer.reset()  # nothing of the previous text (reference links…) reaches this one
    html = renderer.convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )


_recent_html = _Recent(_render, RENDER_CACHE_BYTES)


def plain_text(text):
    """What a reader sees of `text`, as plain text: the Markdown rendered and sanitised as on
    the idea page (scripts and styles dropped with their content), then every tag removed,
    entities decoded and whitespace collapsed. Safe to autoescape; never half a tag."""
    return _recent_plain(str(text) if text else "")


def _plain_text(text):
    rendered = render_markdown(text)
    # Block ends and line breaks become spaces, so "one</p><p>two" does not read "onetwo".
    spaced = rendered.replace("<br>", " ").replace("</p>", "</p> ").replace("</li>", "</li> ")
    bare = nh3.clean(spaced, tags=set(), attributes={})
    return " ".join(html.unescape(bare).split())


_recent_plain = _Recent(_plain_text, RENDER_CACHE_BYTES)


def plain_excerpt(text, length=180):
    """`plain_text(text)` cut on a word to at most `length` characters (with "…")."""
    flat = plain_text(text)
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1]
    if " " in cut and not flat[length - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"
