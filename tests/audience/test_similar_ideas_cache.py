"""The similar-idea hint is kept in the cache (ideas.similar.Cached), and never shows what its
viewer may not see: a suggestion kept for a member inside a restricted campaign's audience
reaches nobody outside it; once the campaign is opened to everyone, everyone is offered it."""

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def hint(client, campaign, text="crossing lights"):
    return client.get(f"{campaign.url}similar/", {"title": text}).content.decode()


@pytest.mark.parametrize("page_cache", [0, 60])
def test_a_suggestion_kept_for_the_audience_never_reaches_an_outsider(
    world, browse, client, page_cache
):
    with override_settings(PAGE_CACHE_SECONDS=page_cache):
        insider = browse(world, "insider")
        assert world.idea.title in hint(insider, world.campaign)
        assert world.idea.title in hint(insider, world.campaign)  # kept, then served
        client.logout()
        outsider = browse(world, "outsider")
        assert world.idea.title not in hint(outsider, world.campaign)
        client.logout()
        assert world.idea.title not in hint(client, world.campaign)  # anonymous

        # The campaign is opened to everyone: the outsider is offered the idea now.
        world.unrestrict()
        outsider = browse(world, "outsider")
        assert world.idea.title in hint(outsider, world.campaign)
