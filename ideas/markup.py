"""Light markdown for member text, always sanitized with nh3 before it reaches a page."""

import html

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
