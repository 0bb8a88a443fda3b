"""RSS and Atom feeds: the changelog and each campaign's new ideas.

Feeds read through the same visibility rules as the pages (`Idea.objects.public()`, live public
campaigns), judged for anyone (`segments.audience.anyone()`): feed readers carry no identity, so
only what every visitor may see reaches a feed, and a campaign with an audience has no feed (404).
Internal notes are never read. Links are absolute, on the site's public address (`SITE_URL`,
`core.links`), whatever host the feed was fetched through. A `Feed` instance is shared between
requests: per-request state travels in the feed's object."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from campaigns.models import CampaignPage
from core.links import absolute
from core.locales import sources
from segments.audience import anyone, can_see_page, visible_ideas, visible_pages

from . import selectors
from .markup import plain_excerpt
from .models import ChangelogPage, Idea


@dataclass
class Source:
    request: object
    campaign: CampaignPage | None = None

    def absolute(self, url):
        return absolute(url or "/")


class _IdeaFeed(Feed):
    """Shared item fields. Titles are plain text: the XML writer escapes them, so a title like
    `Fees < 1 € & no ads` reaches readers exactly as typed. Descriptions are HTML to a feed
    reader (RSS `description`, Atom `summary type="html"`), so member text is HTML-escaped
    before the XML writer escapes it again: a reader shows it as text, never as markup."""

    def feed_url(self, source):
        return absolute(source.request.get_full_path())

    def item_title(self, idea):
        return idea.title

    def item_link(self, idea):
        return idea.absolute_url

    def item_categories(self, idea):
        return [idea.category.name] if idea.category_id else []

    @staticmethod
    def _absolute(ideas, source):
        for idea in ideas:
            idea.absolute_url = source.absolute(idea.url)
        return ideas


class ChangelogFeed(_IdeaFeed):
    """What shipped, with the team's shipping note: the newest 50."""

    def get_object(self, request):
        return Source(request=request)

    def title(self):
        return _("Changelog")

    def description(self):
        return _("Ideas from our community that have shipped.")

    def link(self, source):
        page = visible_pages(ChangelogPage.objects.live().public(), anyone()).first()
        return source.absolute(page.get_url(source.request) if page else "/")

    def items(self, source):
        ideas = selectors.shipped_ideas(viewer=anyone())[: selectors.FEED_LIMIT]
        return self._absolute(selectors.with_urls(ideas, source.request), source)

    def item_description(self, idea):
        return escape(idea.response or plain_excerpt(idea.description, 400))

    def item_pubdate(self, idea):
        return idea.shipped_at

    def item_updateddate(self, idea):
        return idea.shipped_at

    # One entry per idea and shipping: shipping again (after a move back) is news again.
    item_guid_is_permalink = False

    def item_guid(self, idea):
        return f"{idea.absolute_url}#shipped-{int(idea.shipped_at.timestamp())}"


class ChangelogAtomFeed(ChangelogFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class CampaignFeed(_IdeaFeed):
    """New published ideas of one live, public campaign: the newest 50."""

    def get_object(self, request, slug):
        campaign = sources(CampaignPage.objects.live().public().filter(slug=slug)).first()
        if campaign is None or not can_see_page(anyone(), campaign):
            raise Http404
        return Source(request=request, campaign=campaign)

    def title(self, source):
        return _("New ideas in “%(campaign)s”") % {"campaign": source.campaign.title}

    def description(self, source):
        return source.campaign.summary or source.campaign.title

    def link(self, source):
        return source.absolute(source.campaign.get_url(source.request))

    def items(self, source):
        ideas = (
            selectors.pipeline_cards(
                visible_ideas(
                    Idea.objects.public().not_merged().filter(campaign=source.campaign), anyone()
                )
            )
            .select_related("author")
            .only(*selectors.PIPELINE_CARD_FIELDS, "author__username", "author__display_name")
            .order_by("-created_at", "-pk")[: selectors.FEED_LIMIT]
        )
        return self._absolute(selectors.with_urls(ideas, source.request), source)

    def item_description(self, idea):
        return escape(plain_excerpt(idea.description, 400))

    def item_author_name(self, idea):
        return idea.author_name

    def item_pubdate(self, idea):
        return idea.created_at

    def item_updateddate(self, idea):
        return idea.created_at

    item_guid_is_permalink = True

    def item_guid(self, idea):
        return idea.absolute_url


class CampaignAtomFeed(CampaignFeed):
    feed_type = Atom1Feed

    def subtitle(self, source):
        return self.description(source)
