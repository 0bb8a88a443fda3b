"""Articles, segments and members for e-mail campaign tests."""

from itertools import count

from django.utils import timezone
from wagtail.rich_text import RichText

from cms.models import ArticleIndexPage, ArticlePage
from mailings.models import EmailCampaign
from segments.models import Segment, SegmentMembership
from tests.factories import UserFactory, site_tree

_numbers = count(1)


def article_index():
    home, _campaigns = site_tree()
    index = ArticleIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=ArticleIndexPage(title="News", slug="news"))
    return index


def make_article(*, audience=(), publish=True, **fields):
    n = next(_numbers)
    values = {
        "title": f"Spring update {n}",
        "slug": f"spring-update-{n}",
        "summary": "What changed this spring, in two minutes.",
        "body": [
            ("heading", "New savings goals"),
            (
                "paragraph",
                RichText('<p>Set a goal and <a href="/campaigns/">tell us what you think</a>.</p>'),
            ),
            ("quote", "It finally adds up."),
        ],
        **fields,
    }
    article = ArticlePage(live=publish, **values)
    article.audience.set(list(audience))
    article_index().add_child(instance=article)
    if publish:
        article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def make_segment(name=None):
    n = next(_numbers)
    return Segment.objects.create(name=name or f"Segment {n}", slug=f"segment-{n}")


def consenting_member(*segments, **fields):
    fields.setdefault("marketing_consent_at", timezone.now())
    member = UserFactory(**fields)
    SegmentMembership.objects.bulk_create(
        [SegmentMembership(segment=s, member=member) for s in segments]
    )
    return member


def make_campaign(article=None, *, segments=(), **fields):
    campaign = EmailCampaign.objects.create(article=article or make_article(), **fields)
    campaign.segments.set(segments)
    return campaign
