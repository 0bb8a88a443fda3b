"""An idea's image is served through the audience policy: whoever may not see the idea gets 404
for its image as for the idea, whatever address they try; the page links to the checked
address, never to /media/."""

import pytest
from django.core.files.base import ContentFile

from ideas.models import Idea
from tests.ideas.test_image_uploads import png_bytes

PNG = png_bytes(2, 2, "green")


def with_image(idea, name="pixel.png"):
    idea.image.save(name, ContentFile(PNG), save=True)
    return Idea.objects.get(pk=idea.pk)


@pytest.mark.parametrize(
    ("viewer", "restricted_status"),
    [("anonymous", 404), ("outsider", 404), ("insider", 200)],
)
def test_an_image_is_served_to_those_who_may_see_its_idea(world, browse, viewer, restricted_status):
    restricted, public = with_image(world.idea), with_image(world.public_idea)
    client = browse(world, viewer)
    response = client.get(restricted.image_url)
    assert response.status_code == restricted_status
    if restricted_status == 200:
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, max-age=300"
    response = client.get(public.image_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG


def test_the_idea_page_links_to_the_checked_address(world, browse):
    idea = with_image(world.public_idea)
    html = browse(world, "anonymous").get(idea.url).content.decode()
    assert f'src="{idea.image_url}"' in html
    assert idea.image_url.startswith("/idea-images/") and "/media/" not in html


def test_a_guessed_name_or_an_idea_without_image_is_404(world, browse):
    idea = with_image(world.public_idea)
    client = browse(world, "insider")
    assert client.get(f"/idea-images/{idea.pk}/other.png").status_code == 404
    bare = world.idea
    assert client.get(f"/idea-images/{bare.pk}/pixel.png").status_code == 404


def test_a_withdrawn_idea_s_image_is_gone_too(world, browse):
    idea = with_image(world.public_idea)
    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.WITHDRAWN)
    assert browse(world, "outsider").get(idea.image_url).status_code == 404


def test_behind_nginx_the_file_is_handed_over_after_the_check(world, browse, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    idea = with_image(world.public_idea)
    response = browse(world, "anonymous").get(idea.image_url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{idea.image.name}"
    assert browse(world, "outsider").get(with_image(world.idea).image_url).status_code == 404
