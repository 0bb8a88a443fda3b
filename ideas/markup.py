"""Light markdown for member text, always sanitized with nh3 before it reaches a page."""

import re

import markdown as md
import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text):
    html = md.markdown(text or "", extensions=["sane_lists", "nl2br"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )


_MARKUP = re.compile(r"[*_`>#\[\]]|\(https?://[^)]*\)")


def plain_excerpt(text, length=180):
    flat = " ".join(_MARKUP.sub("", text or "").split())
    return flat if len(flat) <= length else flat[: length - 1].rsplit(" ", 1)[0] + "…"
