"""A restricted idea's discussion, once cached for an insider, reaches no one else: the idea's
audience is decided before the cached discussion is read, and the comment URLs ask it too."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("viewer", ["outsider", "anonymous"])
def test_a_cached_restricted_discussion_does_not_leak(world, browse, client, viewer):
    idea, comment = world.idea, world.comments[world.idea.pk]
    insider = type(client)()
    insider.force_login(world.insider)
    for _round in range(2):  # the second from the cache
        assert "Quokka comment" in insider.get(idea.url).content.decode()
    other = browse(world, viewer)
    response = other.get(idea.url)
    assert response.status_code == 404
    assert "Quokka comment" not in response.content.decode()
    for path in (f"/comments/like/{comment.pk}/", f"/moderation/flag/comment/{comment.pk}/"):
        answer = other.get(path)
        assert answer.status_code in (302, 404)
        assert "Quokka comment" not in answer.content.decode()
    # The public twin's discussion is its own.
    public = other.get(world.public_idea.url).content.decode()
    assert "Wombat comment" in public and "Quokka comment" not in public
