from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def parent_url(context, page):
    """The URL of `page`'s parent, derived from its own URL (no query)."""
    url = page.get_url(context.get("request")) or ""
    return url.rstrip("/").rsplit("/", 1)[0] + "/" if url else ""
