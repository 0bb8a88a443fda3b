"""What the roadmap and changelog pages show (their models hold only an intro and read their
content here, in `get_context`), and the feeds offered in page heads."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import hooks, selectors

# Feeds offered in the page head (see the `feeds` block of base.html). -------------------------


def changelog_feeds():
    return [
        {
            "title": _("Changelog (RSS)"),
            "type": "application/rss+xml",
            "url": reverse("feeds:changelog"),
        },
        {
            "title": _("Changelog (Atom)"),
            "type": "application/atom+xml",
            "url": reverse("feeds:changelog_atom"),
        },
    ]


def campaign_feeds(campaign):
    return [
        {
            "title": _("New ideas in “%(campaign)s” (RSS)") % {"campaign": campaign.title},
            "type": "application/rss+xml",
            "url": reverse("feeds:campaign", args=[campaign.slug]),
        },
        {
            "title": _("New ideas in “%(campaign)s” (Atom)") % {"campaign": campaign.title},
            "type": "application/atom+xml",
            "url": reverse("feeds:campaign_atom", args=[campaign.slug]),
        },
    ]


def roadmap_context(request, page):
    filterset, columns = selectors.roadmap_columns(request=request)
    cards = [idea for column in columns for idea in column["ideas"]]
    return {
        # Who voted for what, the budgets and voting windows of the cards' campaigns.
        "page_context": hooks.board_context(request, cards),
        "filter": filterset,
        "columns": columns,
        "filtered": any(request.GET.get(name) for name in filterset.filters),
        "feeds": changelog_feeds(),
    }


def changelog_context(request, page):
    ideas = selectors.changelog_page(request=request, page_number=request.GET.get("page"))
    return {"ideas": ideas, "feeds": changelog_feeds()}
