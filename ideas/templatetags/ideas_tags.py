import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.templatetags.cocrea_ui import memoised_component
from ideas.markup import plain_excerpt, render_markdown

register = template.Library()


@register.filter
def excerpt(text, length=180):
    return plain_excerpt(text, int(length))


@register.filter
def markdown(text):
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 has sanitized it


def vote_url(idea_id):
    """Where the vote button posts: `/votes/<id>/` in the active language (voting.urls; the
    campaign page's `…/ideas/<id>/vote/` still answers). One `reverse` per language."""
    return f"{_votes_prefix(get_language(), get_script_prefix(), get_urlconf())}{idea_id}/"


@functools.lru_cache(maxsize=16)
def _votes_prefix(language, script_prefix, urlconf):
    return reverse("vote", args=[0]).removesuffix("0/")


@register.inclusion_tag("components/vote_button.html", takes_context=True)
def vote_button(context, idea):
    """The vote widget. `votes_left` is the budget of the page's campaign; a page showing ideas
    of several campaigns (the roadmap) gives `votes_left_by_campaign` instead."""
    by_campaign = context.get("votes_left_by_campaign")
    left = (
        by_campaign.get(idea.campaign_id) if by_campaign is not None else context.get("votes_left")
    )
    open_by_campaign = context.get("voting_open_by_campaign")
    voting_open = (
        open_by_campaign.get(idea.campaign_id, False)
        if open_by_campaign is not None
        else context.get("voting_open")
    )
    return {
        "idea": idea,
        "has_voted": idea.pk in (context.get("voted") or ()),
        "vote_count": idea.vote_count,
        "votes_left": left,
        "voting_open": voting_open,
        "action_url": vote_url(idea.pk),
        "request": context.get("request"),
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
    }


@memoised_component("components/stage_badge.html", maxsize=256)
def _stage_badge(colour, name, label):
    return {"stage": {"colour": colour, "display_name": name}, "stage_label": label}


@register.simple_tag
def stage_badge(stage, label):
    """The stage's badge (components/stage_badge.html), rendered once per stage, label and
    language: `{% stage_badge idea.stage _("Stage") %}`."""
    if stage is None:
        return ""
    return _stage_badge(stage.colour, stage.display_name, str(label))
