from django import template

from core.templatetags.cocrea_ui import memoised_component
from reputation.selectors import Mark

register = template.Library()


@register.simple_tag(name="member_mark")
@memoised_component("components/member_mark.html", maxsize=64)
def member_mark(level):
    """The level and ambassador mark next to a member's name, from `User.reputation_level`
    (loaded with the name: no query); nothing for members without points (level 0). Rendered
    once per level and language."""
    return {"mark": Mark(0, level) if level else None}


@register.filter
def helpful_in(comment_id, helpful_ids):
    return comment_id in (helpful_ids or ())
