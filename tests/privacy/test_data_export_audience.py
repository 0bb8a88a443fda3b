"""“Download my data” names ideas the member may no longer see by id only (docs/audience.md):
their votes, follows, comments and notifications stay, nothing of the idea's content does."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from ideas.models import Event, Follow, Idea
from notifications.models import Notification
from segments.models import Segment
from tests.factories import IdeaFactory, UserFactory, make_campaign
from voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_world(django_capture_on_commit_callbacks):
    me, author = UserFactory(username="ana"), UserFactory()
    campaign = make_campaign(title="Secret campaign", slug="secret-campaign")
    theirs = IdeaFactory(campaign=campaign, author=author, title="Secret platypus idea")
    mine = IdeaFactory(campaign=campaign, author=me, title="My own platypus idea")
    Vote.objects.create(idea=theirs, member=me, campaign=campaign)
    Follow.objects.get_or_create(member=me, idea=theirs)
    XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(theirs.pk),
        site_id=1,
        user=me,
        user_name=me.username,
        comment="My words on it",
    )
    event = Event.objects.filter(idea=theirs).latest("pk")
    Notification.objects.get_or_create(recipient=me, event=event, kind="comment")
    # Later an editor restricts the campaign to a segment Ana is not in.
    with django_capture_on_commit_callbacks(execute=True):
        campaign.audience.set([Segment.objects.create(name="Insiders", slug="insiders")])
        campaign.save_revision().publish()
    return me, mine, theirs


def test_export_names_a_hidden_idea_by_id_only(client, restricted_world):
    me, mine, theirs = restricted_world
    client.force_login(me)
    response = client.get("/members/settings/my-data.json")
    raw, data = response.content.decode(), json.loads(response.content)
    hidden = {"id": theirs.pk, "title": None, "hidden": True}
    assert [v["idea"] for v in data["votes"]] == [hidden]
    assert hidden in [f["idea"] for f in data["follows"]]
    assert [c["idea"] for c in data["comments"]] == [hidden]
    assert data["comments"][0]["text"] == "My words on it"  # the member's own words stay
    assert {n["idea"]["id"] for n in data["notifications"]} <= {theirs.pk, mine.pk}
    assert all(n["idea"]["title"] != theirs.title for n in data["notifications"])
    assert "Secret platypus idea" not in raw and "Secret campaign" not in raw


def test_export_keeps_the_members_own_idea_in_a_hidden_campaign(client, restricted_world):
    me, mine, _theirs = restricted_world
    client.force_login(me)
    data = json.loads(client.get("/members/settings/my-data.json").content)
    [idea] = data["ideas"]
    assert (idea["id"], idea["title"], idea["campaign"]) == (mine.pk, mine.title, None)
