"""The `targeted` body block: its content for the chosen segments, the fallback for everyone
else, and both, labelled, for staff."""

import pytest

from cms.blocks import TargetedBlock
from tests.cms.factories import make_article, segment_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INSIDE = "Early access for you"
FALLBACK = "Ask us about Premium"


@pytest.fixture
def page_with_targeted_block():
    insider = UserFactory()
    segment = segment_of(insider, name="Premium customers in Spain")
    article = make_article(
        title="Offers",
        body=[
            ("paragraph", "<p>For everyone.</p>"),
            (
                "targeted",
                {
                    "segments": [segment.pk],
                    "content": [("paragraph", f"<p>{INSIDE}</p>")],
                    "fallback": [("paragraph", f"<p>{FALLBACK}</p>")],
                },
            ),
        ],
    )
    return article, insider


def test_insider_sees_the_targeted_content(client, page_with_targeted_block):
    article, insider = page_with_targeted_block
    client.force_login(insider)
    html = client.get(article.url).content.decode()
    assert INSIDE in html and FALLBACK not in html and "For everyone." in html
    assert "Shown to:" not in html


def test_outsider_sees_the_fallback(client, page_with_targeted_block):
    article, _insider = page_with_targeted_block
    client.force_login(UserFactory())
    html = client.get(article.url).content.decode()
    assert FALLBACK in html and INSIDE not in html


def test_anonymous_visitor_sees_the_fallback(client, page_with_targeted_block):
    article, _insider = page_with_targeted_block
    html = client.get(article.url).content.decode()
    assert FALLBACK in html and INSIDE not in html and "Premium customers in Spain" not in html


def test_staff_see_the_content_labelled_with_its_segments(client, page_with_targeted_block):
    article, _insider = page_with_targeted_block
    client.force_login(UserFactory(is_staff=True))
    html = client.get(article.url).content.decode()
    assert INSIDE in html
    assert "Shown to: Premium customers in Spain" in html


def test_without_fallback_outsiders_see_nothing_of_it(client):
    segment = segment_of(UserFactory())
    article = make_article(
        body=[
            (
                "targeted",
                {"segments": [segment], "content": [("quote", INSIDE)], "fallback": []},
            )
        ]
    )
    html = client.get(article.url).content.decode()
    assert INSIDE not in html and 'class="targeted' not in html


def test_segments_are_stored_as_ids_and_read_back_in_one_query(django_assert_num_queries):
    first, second = segment_of(name="First"), segment_of(name="Second")
    block = TargetedBlock()
    value = block.to_python({"segments": [first.pk, second.pk], "content": [], "fallback": []})
    assert [s.name for s in value["segments"]] == ["First", "Second"]
    assert block.get_prep_value(value)["segments"] == [first.pk, second.pk]
    with django_assert_num_queries(1):
        block.child_blocks["segments"].bulk_to_python([[first.pk], [second.pk, 999]])


def test_the_segments_field_requires_a_choice():
    from django.core.exceptions import ValidationError

    block = TargetedBlock().child_blocks["segments"]
    with pytest.raises(ValidationError):
        block.clean([])
    segment = segment_of(name="Chosen")
    assert block.clean([str(segment.pk)]) == [segment]


def test_the_article_editor_offers_the_targeted_block(client, page_with_targeted_block):
    article, _insider = page_with_targeted_block
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "Targeted content" in html and "Premium customers in Spain" in html


def test_an_editor_saves_a_targeted_block_from_the_admin(client):
    from django.urls import reverse
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from cms.models import ArticlePage

    segment = segment_of(name="Chosen segment")
    article = make_article(title="Edited in the admin", slug="edited")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "date": "2026-03-01",
            "body": streamfield(
                [
                    (
                        "targeted",
                        {
                            "segments": (str(segment.pk),),  # a tuple: one field, many values
                            "content": streamfield([("paragraph", rich_text("<p>Inside</p>"))]),
                            "fallback": streamfield([]),
                        },
                    )
                ]
            ),
            "comments": inline_formset([]),
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    block = saved.body[0]
    assert block.block_type == "targeted"
    assert block.value["segments"] == [segment]
    assert saved.body.raw_data[0]["value"]["segments"] == [segment.pk]
