from django import template

from reputation.selectors import Mark

register = template.Library()


@register.inclusion_tag("components/member_mark.html")
def member_mark(level):
    """The level and ambassador mark next to a member's name, from `User.reputation_level`
    (loaded with the name: no query); nothing for members without points (level 0)."""
    return {"mark": Mark(0, level) if level else None}


@register.filter
def helpful_in(comment_id, helpful_ids):
    return comment_id in (helpful_ids or ())
