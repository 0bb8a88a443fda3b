"""Idea cards: a thumbnail when the idea has an image, and the author's initials avatar."""

import re

import pytest
from django.core.files.base import ContentFile

from core.templatetags.cocrea_ui import avatar_colour, initials
from tests.factories import IdeaFactory, UserFactory, make_campaign
from tests.ideas.test_image_uploads import png_bytes

pytestmark = pytest.mark.django_db


def card(html, idea):
    start = html.rindex('<article class="card idea-card">', 0, html.index(f">{idea.title}</a>"))
    return html[start : html.index("</article>", start)]


def test_an_idea_with_an_image_shows_a_lazy_thumbnail_of_fixed_size(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = make_campaign()
    idea = IdeaFactory(campaign=campaign, title="Round up card payments")
    idea.image.save("roundup.png", ContentFile(png_bytes(40, 30)))
    plain = IdeaFactory(campaign=campaign, title="Freeze my card quickly")

    html = client.get(campaign.url).content.decode()

    thumb = re.search(r'<img class="idea-card__thumb"[^>]*>', card(html, idea)).group(0)
    assert f'src="{idea.image_url}"' in thumb and idea.image_url.startswith("/idea-images/")
    assert 'width="112" height="84"' in thumb and 'loading="lazy"' in thumb
    assert 'alt="Image for “Round up card payments”"' in thumb
    assert "idea-card__thumb" not in card(html, plain)
    assert client.get(idea.image_url).status_code == 200


def test_the_author_has_an_initials_avatar_hidden_from_screen_readers_next_to_the_name(client):
    campaign = make_campaign()
    idea = IdeaFactory(campaign=campaign, author=UserFactory(display_name="Ana María López"))

    html = card(client.get(campaign.url).content.decode(), idea)

    assert re.search(r'<span class="avatar avatar--\d" aria-hidden="true">AL</span>', html)
    assert "by Ana María López" in html


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Ana", "AN"), ("Ana María López", "AL"), ("Demo member 17", "DM"), ("", "?"), ("42", "42")],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_an_avatar_colour_is_the_same_for_the_same_name():
    assert avatar_colour("Bruno") == avatar_colour("Bruno")
    assert 0 <= avatar_colour("Bruno") < 8
