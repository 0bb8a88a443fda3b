"""Light markdown for member text, always sanitized with nh3 before it reaches a page."""

import html
import threading
from functools import lru_cache

import markdown as md
import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


# One Markdown renderer per thread, reset before each text (building one costs more than a short
# comment's rendering), and the sanitised HTML of recent texts kept: a page of 200 comments is
# rendered once, then read from the cache while the texts do not change.
_local = threading.local()
RENDER_CACHE_SIZE = 4096


def _renderer():
    renderer = getattr(_local, "markdown", None)
    if renderer is None:
        renderer = _local.markdown = md.Markdown(
            extensions=["sane_lists", "nl2br"], output_format="html"
        )
    return renderer


def render_markdown(text):
    return _render(text or "")


@lru_cache(maxsize=RENDER_CACHE_SIZE)
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


@lru_cache(maxsize=RENDER_CACHE_SIZE)
def plain_text(text):
    """What a reader sees of `text`, as plain text: the Markdown rendered and sanitised as on
    the idea page (scripts and styles dropped with their content), then every tag removed,
    entities decoded and whitespace collapsed. Safe to autoescape; never half a tag."""
    rendered = render_markdown(text)
    # Block ends and line breaks become spaces, so "one</p><p>two" does not read "onetwo".
    spaced = rendered.replace("<br>", " ").replace("</p>", "</p> ").replace("</li>", "</li> ")
    bare = nh3.clean(spaced, tags=set(), attributes={})
    return " ".join(html.unescape(bare).split())


def plain_excerpt(text, length=180):
    """`plain_text(text)` cut on a word to at most `length` characters (with "…")."""
    flat = plain_text(text)
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1]
    if " " in cut and not flat[length - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"
