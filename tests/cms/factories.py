"""Articles, the news index and segments for the cms tests."""

from datetime import date

from cms.models import ArticleIndexPage, ArticlePage
from segments.membership import audience_changed
from segments.models import Segment
from segments.services import segment_refresh
from tests.factories import site_tree

_numbers = iter(range(1, 10**6))


def news_index(**fields):
    home, _campaigns = site_tree()
    index = ArticleIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=ArticleIndexPage(**{"title": "News", "slug": "news", **fields})
        )
    return index


def make_article(*, index=None, audience=(), publish=True, **fields):
    index = index or news_index()
    n = next(_numbers)
    values = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "date": date(2026, 1, 1),
        "summary": f"Summary of article {n}.",
        **fields,
    }
    article = ArticlePage(**values)
    if audience:
        article.audience.set(list(audience))
    index.add_child(instance=article)
    if publish:
        article.save_revision().publish()
    else:
        ArticlePage.objects.filter(pk=article.pk).update(live=False)
    audience_changed()  # the tests run in a transaction: on_commit hooks never fire
    return ArticlePage.objects.get(pk=article.pk)


def segment_of(*members, name=None):
    """A segment with these hand-picked members, its membership table refreshed."""
    n = next(_numbers)
    segment = Segment.objects.create(name=name or f"Segment {n}", slug=f"segment-{n}")
    segment.include.add(*members)
    segment_refresh(segment)
    audience_changed()
    return segment
