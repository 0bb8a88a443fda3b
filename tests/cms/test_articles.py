"""The news index, the article page and the home page's latest news: newest first, paginated,
and only what the visitor may see (segments.audience)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import ArticleIndexPage
from tests.cms.factories import make_article, segment_of
from tests.factories import UserFactory, make_campaign

pytestmark = pytest.mark.django_db


def titles_in(html, titles):
    """The given titles in the order they appear in `html`."""
    found = [(html.index(t), t) for t in titles if t in html]
    return [t for _pos, t in sorted(found)]


def test_index_lists_articles_newest_first(client):
    make_article(title="Middle news", date=date(2026, 2, 1))
    make_article(title="Oldest news", date=date(2026, 1, 1))
    make_article(title="Newest news", date=date(2026, 3, 1))
    html = client.get("/news/").content.decode()
    assert titles_in(html, ["Oldest news", "Middle news", "Newest news"]) == [
        "Newest news",
        "Middle news",
        "Oldest news",
    ]


def test_index_is_paginated(client, monkeypatch):
    monkeypatch.setattr(ArticleIndexPage, "per_page", 2)
    for day in range(1, 6):
        make_article(title=f"News of day {day}", date=date(2026, 1, day))
    first = client.get("/news/").content.decode()
    last = client.get("/news/", {"page": 3}).content.decode()
    assert "News of day 5" in first and "News of day 4" in first and "News of day 3" not in first
    assert "Page 1 of 3" in first and 'rel="next"' in first
    assert "News of day 1" in last and "News of day 5" not in last


def test_unpublished_articles_are_not_listed(client):
    make_article(title="Draft news", publish=False)
    assert "Draft news" not in client.get("/news/").content.decode()


def test_targeted_articles_are_listed_only_for_their_segment(client):
    insider, outsider = UserFactory(), UserFactory()
    segment = segment_of(insider)
    make_article(title="Public news")
    secret = make_article(title="Premium only news", audience=[segment])

    anonymous = client.get("/news/").content.decode()
    assert "Public news" in anonymous and "Premium only news" not in anonymous
    client.force_login(outsider)
    assert "Premium only news" not in client.get("/news/").content.decode()
    assert client.get(secret.url).status_code == 404
    client.force_login(insider)
    assert "Premium only news" in client.get("/news/").content.decode()
    assert client.get(secret.url).status_code == 200


def test_home_page_shows_the_three_latest_articles_the_visitor_may_see(client):
    insider = UserFactory()
    segment = segment_of(insider)
    for day in range(1, 5):
        make_article(title=f"Home news {day}", date=date(2026, 1, day))
    make_article(title="Home secret news", date=date(2026, 1, 9), audience=[segment])

    html = client.get("/").content.decode()
    assert titles_in(html, [f"Home news {d}" for d in range(1, 5)]) == [
        "Home news 4",
        "Home news 3",
        "Home news 2",
    ]
    assert "Home secret news" not in html
    assert 'href="/news/"' in html  # "All news"
    client.force_login(insider)
    html = client.get("/").content.decode()
    assert titles_in(html, ["Home secret news", "Home news 4", "Home news 3", "Home news 2"]) == [
        "Home secret news",
        "Home news 4",
        "Home news 3",
    ]


def test_article_page_shows_its_content_and_a_call_to_action_to_a_campaign(client):
    campaign = make_campaign(title="Savings campaign")
    article = make_article(
        title="Read all about it",
        body=[
            ("heading", "What changes"),
            ("paragraph", "<p>Round-ups are <b>coming</b>.</p>"),
            ("quote", "Saving should be effortless."),
            ("cta", {"campaign": campaign, "button_text": "Tell us", "text": "Have an idea?"}),
        ],
    )
    html = client.get(article.url).content.decode()
    assert "<h1>Read all about it</h1>" in html and "<h2>What changes</h2>" in html
    assert "Round-ups are <b>coming</b>." in html and "Saving should be effortless." in html
    assert "Have an idea?" in html and f'href="{campaign.url}"' in html and "Tell us" in html
    assert "min read" in html


def test_call_to_action_to_a_campaign_the_visitor_may_not_see_is_left_out(client):
    insider = UserFactory()
    segment = segment_of(insider)
    campaign = make_campaign(title="Hidden campaign", audience=[segment])
    article = make_article(
        body=[("cta", {"campaign": campaign, "button_text": "Join the secret", "text": ""})]
    )
    assert "Hidden campaign" not in client.get(article.url).content.decode()
    client.force_login(insider)
    assert "Join the secret" in client.get(article.url).content.decode()


class LocalFinder:
    """An oEmbed finder that never touches the network."""

    def accept(self, url):
        return url.startswith("https://video.example/")

    def find_embed(self, url, max_width=None, max_height=None):
        return {
            "title": "A video",
            "type": "video",
            "html": f'<iframe title="A video" src="{url}/player"></iframe>',
            "width": 640,
            "height": 360,
            "author_name": "",
            "provider_name": "Example",
            "thumbnail_url": "",
        }


@pytest.fixture
def local_embeds(settings):
    from wagtail.embeds.finders import get_finders

    settings.WAGTAILEMBEDS_FINDERS = [{"class": f"{__name__}.LocalFinder"}]
    get_finders.cache_clear()
    yield
    get_finders.cache_clear()


def test_embeds_render_through_the_configured_finder(client, local_embeds):
    article = make_article(body=[("embed", "https://video.example/42")])
    html = client.get(article.url).content.decode()
    assert '<div class="embed">' in html
    assert 'src="https://video.example/42/player"' in html


def test_index_queries_do_not_grow_with_articles(client):
    def count():
        client.get("/news/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/news/").status_code == 200
        return len(captured)

    make_article()
    small = count()
    for _ in range(8):
        make_article()
    assert count() == small <= 12
