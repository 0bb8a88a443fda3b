"""A small site where one standard page, one article and one campaign (with its idea) are
restricted to the segment "Premium customers in Spain", each beside a public twin, and three
viewers: an anonymous visitor, an outsider member and an insider member (in the segment through
the materialized membership table, `segment_refresh`)."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django_comments_xtd.models import XtdComment
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cms.models import ArticleIndexPage, ArticlePage, StandardPage
from ideas.models import ChangelogPage, Idea, RoadmapPage, Stage
from ideas.services import follow
from segments.models import Segment
from segments.services import segment_refresh
from tests.factories import IdeaFactory, UserFactory, make_campaign, site_tree

VIEWERS = ["anonymous", "outsider", "insider"]
SEGMENT_NAME = "Premium customers in Spain"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The locmem cache outlives a test's transaction, and SQLite reuses primary keys after a
    # rollback: cached audience answers must not reach the next test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_webhook_sending(monkeypatch):
    monkeypatch.setattr("integrations.webhooks.queue_delivery", lambda pk, countdown=None: True)


@dataclass
class World:
    segment: Segment
    insider: object
    outsider: object
    author: object
    page: StandardPage
    article: ArticlePage
    campaign: object
    idea: Idea
    public_page: StandardPage
    public_article: ArticlePage
    public_campaign: object
    public_idea: Idea
    capture: object = field(repr=False)
    comments: dict = field(default_factory=dict, repr=False)  # idea pk → the author's comment

    @property
    def restricted(self):
        return [self.page, self.article, self.campaign]

    def set_audience(self, pages, segments):
        """What an editor does: choose the audience and publish. The audience generation is
        bumped after commit, as in production."""
        with self.capture(execute=True):
            for page in pages:
                page.audience.set(segments)
                page.save_revision().publish()

    def restrict(self):
        self.set_audience(self.restricted, [self.segment])

    def unrestrict(self):
        self.set_audience(self.restricted, [])

    def user(self, viewer):
        return None if viewer == "anonymous" else getattr(self, viewer)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _idea(campaign, title, author):
    idea = IdeaFactory(campaign=campaign, title=title, author=author)
    Idea.objects.filter(pk=idea.pk).update(stage=Stage.objects.get(slug="planned"))
    idea.refresh_from_db()
    return idea


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    home, _index = site_tree()
    news = home.add_child(instance=ArticleIndexPage(title="News", slug="news"))
    home.add_child(instance=RoadmapPage(title="Roadmap", slug="roadmap"))
    home.add_child(instance=ChangelogPage(title="Changelog", slug="changelog"))
    insider, outsider, author = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        segment = Segment.objects.create(name=SEGMENT_NAME, slug="premium-spain")
        segment.include.add(insider)
        segment_refresh(segment)

    def article(title):
        return _publish(
            news,
            ArticlePage(
                title=title,
                slug=title.lower().replace(" ", "-"),
                date=date.today(),
                summary=f"{title}.",
            ),
        )

    campaign = make_campaign(title="Quokka campaign", slug="quokka-campaign")
    public_campaign = make_campaign(title="Wombat campaign", slug="wombat-campaign")
    world = World(
        segment=segment,
        insider=insider,
        outsider=outsider,
        author=author,
        page=_publish(home, StandardPage(title="Quokka standard page", slug="quokka-page")),
        article=article("Quokka announcement"),
        campaign=campaign,
        idea=_idea(campaign, "Quokka crossing lights idea", author),
        public_page=_publish(home, StandardPage(title="Wombat standard page", slug="wombat-page")),
        public_article=article("Wombat announcement"),
        public_campaign=public_campaign,
        public_idea=_idea(public_campaign, "Wombat crossing lights idea", author),
        capture=django_capture_on_commit_callbacks,
    )
    # Both members followed the ideas before the campaign was restricted; the author started
    # each discussion.
    for idea in (world.idea, world.public_idea):
        for member in (insider, outsider):
            follow(member=member, idea=idea)
        world.comments[idea.pk] = comment_on(idea, author, f"{idea.title.split()[0]} comment")
    world.restrict()
    return world


def comment_on(idea, user, text, parent=None):
    return XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site_id=1,
        user=user,
        user_name=user.username,
        comment=text,
        parent_id=parent.pk if parent else 0,
    )


@pytest.fixture
def browse(client):
    """A test client signed in as the viewer (or not, for the anonymous visitor)."""

    def for_viewer(world, viewer):
        user = world.user(viewer)
        if user is not None:
            client.force_login(user)
        return client

    return for_viewer


@pytest.fixture
def api():
    """An API client authenticated by the viewer's token (the API's usual credential)."""

    def for_viewer(world, viewer):
        client = APIClient()
        user = world.user(viewer)
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return for_viewer
