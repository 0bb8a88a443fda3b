"""“Download my data”: the member's own data as a JSON file, and no one else's."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from ideas.models import Follow, Idea
from members.models import ConsentRecord
from notifications.models import NotificationPreference
from segments.models import SegmentMembership
from tests.factories import IdeaFactory, InterestFactory, SegmentFactory, UserFactory, make_campaign
from voting.models import Vote

pytestmark = pytest.mark.django_db

URL = "/members/settings/my-data.json"


def comment(idea, user, text):
    return XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site_id=1,
        user=user,
        user_name=user.username,
        user_email=user.email,
        comment=text,
        submit_date=timezone.now(),
    )


@pytest.fixture
def world():
    campaign = make_campaign(title="Mobile app")
    me = UserFactory(
        username="ana",
        email="ana@example.com",
        display_name="Ana García",
        country="ES",
        tier="premium",
        company="ACME",
        external_id="CRM-1",
        language="es",
    )
    me.interests.add(InterestFactory(name="Savings"))
    other = UserFactory(
        username="bob", email="bob.secret@example.com", display_name="Bob Hidden", company="Globex"
    )
    mine = IdeaFactory(campaign=campaign, author=me, title="Round up my card payments")
    theirs = IdeaFactory(campaign=campaign, author=other, title="Dark mode for the app")
    IdeaFactory(campaign=campaign, author=other, title="An idea Ana never touched")
    comment(theirs, me, "I would love dark mode at night")
    comment(theirs, other, "Bob's private thoughts on this")
    comment(mine, other, "Bob replying on Ana's idea")
    Vote.objects.create(idea=theirs, member=me, campaign=campaign)
    Vote.objects.create(idea=mine, member=other, campaign=campaign)
    Follow.objects.get_or_create(member=me, idea=theirs)
    Follow.objects.get_or_create(member=other, idea=mine)
    ConsentRecord.objects.create(member=me, given=True, source=ConsentRecord.Source.PROFILE)
    ConsentRecord.objects.create(member=other, given=True, source=ConsentRecord.Source.IMPORT)
    NotificationPreference.objects.create(member=me, kind="comment", frequency="weekly")
    NotificationPreference.objects.create(member=other, kind="reply", frequency="none")
    premium = SegmentFactory(name="Premium customers")
    SegmentFactory(name="Bob's secret segment")
    SegmentMembership.objects.create(segment=premium, member=me)
    SegmentMembership.objects.create(segment=SegmentFactory(name="Globex staff"), member=other)
    return {"me": me, "other": other, "mine": mine, "theirs": theirs}


def download(client, member):
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="cocrea-ana-')
    return response.content.decode(), json.loads(response.content)


def test_export_contains_the_members_data(client, world):
    _raw, data = download(client, world["me"])
    profile = data["profile"]
    assert (profile["username"], profile["email"], profile["display_name"]) == (
        "ana",
        "ana@example.com",
        "Ana García",
    )
    assert (profile["country"], profile["tier"], profile["company"], profile["language"]) == (
        "ES",
        "premium",
        "ACME",
        "es",
    )
    assert profile["external_id"] == "CRM-1" and profile["interests"] == ["Savings"]
    assert profile["email_addresses"] == [
        {"email": "ana@example.com", "verified": True, "primary": True}
    ]
    [idea] = data["ideas"]
    assert idea["title"] == "Round up my card payments"
    assert idea["campaign"] == "Mobile app" and idea["status"] == "published"
    assert idea["description"] and idea["created"]
    [said] = data["comments"]
    assert said["text"] == "I would love dark mode at night"
    assert said["idea"] == {"id": world["theirs"].pk, "title": "Dark mode for the app"}
    assert said["date"]
    assert [v["idea"]["title"] for v in data["votes"]] == ["Dark mode for the app"]
    assert [f["idea"]["title"] for f in data["follows"]] == ["Dark mode for the app"]
    assert [(c["given"], c["source"]) for c in data["consents"]] == [(True, "profile")]
    assert data["notification_preferences"] == {"comment": "weekly"}
    assert data["segments"] == ["Premium customers"]


def test_export_contains_no_one_elses_data(client, world):
    raw, _data = download(client, world["me"])
    for secret in (
        "bob",
        "Bob Hidden",
        "bob.secret@example.com",
        "Globex",
        "Bob's private thoughts",
        "Bob replying",
        "An idea Ana never touched",
        "Bob's secret segment",
        "import",
        "none",
    ):
        assert secret not in raw, secret


def test_export_needs_a_signed_in_member(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_export_is_not_cached(client, world):
    client.force_login(world["me"])
    assert "no-store" in client.get(URL)["Cache-Control"]


def test_the_export_holds_the_members_suspensions_but_not_who_decided(client):
    from tests.factories import UserFactory, moderator, suspend

    member = UserFactory()
    suspend(member, days=5, reason="Spam links.", actor=moderator(username="mod_secret"))
    client.force_login(member)
    data = client.get("/members/settings/my-data.json").json()
    [suspension] = data["suspensions"]
    assert suspension["reason"] == "Spam links." and suspension["lifted"] is None
    assert "mod_secret" not in str(data)


def test_the_export_lists_the_accounts_that_sign_the_member_in(client):
    from allauth.socialaccount.models import SocialAccount

    from members.models import ExternalIdentity

    member = UserFactory(username="ana")
    SocialAccount.objects.create(
        user=member, provider="google", uid="g-1", extra_data={"name": "Ana"}
    )
    ExternalIdentity.objects.create(member=member, issuer="identify", subject="cust-7")
    _raw, data = download(client, member)
    assert [(a["provider"], a["uid"]) for a in data["linked_accounts"]] == [
        ("google", "g-1"),
        ("identify", "cust-7"),
    ]
    assert data["linked_accounts"][0]["data"] == {"name": "Ana"}
