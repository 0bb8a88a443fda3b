"""Hidden content leaves every public channel: the campaign list, the idea page, search, the API,
the campaign feed, the author's public profile and the discussion (with an exact count)."""

import pytest

from ideas.models import Idea
from moderation.models import Case, Decision, FlagReason
from moderation.services import case_decide, item_flag
from tests.factories import IdeaFactory, UserFactory, comment_on

pytestmark = pytest.mark.django_db
TITLE = "Zebra striped savings pockets"


def hide(item, settings):
    settings.MODERATION_HIDE_AT_FLAGS = 2
    for _ in range(2):
        item_flag(item=item, member=UserFactory(), reason=FlagReason.SPAM)


def channels(client, idea):
    campaign = idea.campaign
    return {
        "list": client.get(campaign.url).content.decode(),
        "search": client.get("/search/", {"q": "Zebra"}).content.decode(),
        "api": client.get("/api/v1/ideas/").content.decode(),
        "feed": client.get(f"/feeds/campaigns/{campaign.slug}/").content.decode(),
        "profile": client.get(f"/members/{idea.author.username}/").content.decode(),
    }


def test_a_hidden_idea_leaves_every_channel_and_comes_back_when_restored(client, settings, mod):
    idea = IdeaFactory(title=TITLE)
    seen = channels(client, idea)
    assert all(TITLE in text for text in seen.values()), [
        k for k, v in seen.items() if TITLE not in v
    ]
    hide(idea, settings)
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.HIDDEN
    assert client.get(idea.url).status_code == 404
    leaks = [name for name, text in channels(client, idea).items() if TITLE in text]
    assert not leaks
    case_decide(case=Case.objects.get(idea=idea), action=Decision.Action.RESTORE, actor=mod)
    assert client.get(idea.url).status_code == 200
    assert TITLE in channels(client, idea)["list"]


def test_a_hidden_comment_leaves_the_discussion_and_the_count(client, settings):
    idea = IdeaFactory()
    comment = comment_on(idea, text="Buy cheap watches at example.com")
    comment_on(idea, text="A real opinion")
    hide(comment, settings)
    idea.refresh_from_db()
    assert idea.comment_count == 1
    html = client.get(idea.url).content.decode()
    assert "cheap watches" not in html and "A real opinion" in html
    profile = client.get(f"/members/{comment.user.username}/").content.decode()
    assert "cheap watches" not in profile
