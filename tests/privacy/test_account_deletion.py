"""“Delete my account”: ideas and comments stay as “Former member”, votes go with every count
kept exact, personal data is gone and the account cannot sign in again."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from rest_framework.authtoken.models import Token

from ideas.models import Follow, Idea, trending_score
from members.models import ConsentRecord, User
from notifications.models import NotificationPreference
from privacy.services import CannotDelete, member_delete
from segments.models import SegmentMembership
from tests.factories import PASSWORD, IdeaFactory, SegmentFactory, UserFactory, make_campaign
from voting.services import vote_cast

pytestmark = pytest.mark.django_db

URL = "/members/settings/delete/"


def comment(idea, user, text):
    return XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site_id=1,
        user=user,
        user_name=user.username,
        user_email=user.email,
        user_url="https://ana.example.com",
        ip_address="192.0.2.7",
        comment=text,
        submit_date=timezone.now(),
    )


@pytest.fixture
def world():
    campaign = make_campaign()
    ana = UserFactory(email="ana@example.com", display_name="Ana García", country="ES")
    voters = [UserFactory() for _ in range(3)]
    hers = IdeaFactory(campaign=campaign, author=ana, title="Round up my card payments")
    popular = IdeaFactory(campaign=campaign, author=voters[0], title="Dark mode for the app")
    lonely = IdeaFactory(campaign=campaign, author=voters[1], title="Only Ana voted for this")
    for member in (ana, *voters):
        vote_cast(idea=popular, member=member)
    vote_cast(idea=hers, member=ana)
    vote_cast(idea=hers, member=voters[2])
    vote_cast(idea=lonely, member=ana)
    said = comment(popular, ana, "I would love dark mode at night")
    ConsentRecord.objects.create(member=ana, given=True, source="profile")
    NotificationPreference.objects.create(member=ana, kind="comment", frequency="weekly")
    Token.objects.create(user=ana)
    segment = SegmentFactory(include=[ana, voters[0]])
    SegmentMembership.objects.create(segment=segment, member=ana)
    SegmentMembership.objects.create(segment=segment, member=voters[0])
    segment.member_count = 2
    segment.save(update_fields=["member_count"])
    return {
        "ana": ana,
        "voters": voters,
        "hers": hers,
        "popular": popular,
        "lonely": lonely,
        "comment": said,
        "segment": segment,
    }


def assert_counts_exact():
    for idea in Idea.objects.all():
        assert idea.vote_count == idea.votes.count(), idea
        assert idea.trending == pytest.approx(trending_score(idea.vote_count, idea.created_at))


def test_deleting_keeps_ideas_and_comments_as_former_member(world):
    member_delete(member=world["ana"])
    hers = Idea.objects.get(pk=world["hers"].pk)
    assert hers.author is None and hers.author_name == "Former member"
    said = XtdComment.objects.get(pk=world["comment"].pk)
    assert said.comment == "I would love dark mode at night"
    assert (said.user, said.user_name, said.user_email, said.user_url, said.ip_address) == (
        None,
        "",
        "",
        "",
        None,
    )


def test_deleting_removes_votes_and_keeps_every_count_exact(world):
    assert [Idea.objects.get(pk=world[k].pk).vote_count for k in ("popular", "hers", "lonely")] == [
        4,
        2,
        1,
    ]
    member_delete(member=world["ana"])
    counts = [Idea.objects.get(pk=world[k].pk).vote_count for k in ("popular", "hers", "lonely")]
    assert counts == [3, 1, 0]
    assert_counts_exact()


def test_deleting_removes_personal_data(world):
    ana = world["ana"]
    member_delete(member=ana)
    assert not User.objects.filter(pk=ana.pk).exists()
    assert not User.objects.filter(email="ana@example.com").exists()
    for model, field in (
        (EmailAddress, "user_id"),
        (Follow, "member_id"),
        (ConsentRecord, "member_id"),
        (NotificationPreference, "member_id"),
        (SegmentMembership, "member_id"),
        (Token, "user_id"),
    ):
        assert not model.objects.filter(**{field: ana.pk}).exists(), model
    assert not XtdComment.objects.filter(user_email="ana@example.com").exists()
    segment = world["segment"]
    segment.refresh_from_db()
    assert segment.member_count == 1
    assert list(segment.include.all()) == [world["voters"][0]]
    # Other members keep theirs.
    assert Follow.objects.filter(member=world["voters"][0]).exists()


def test_member_deletes_their_account_with_their_password_and_is_signed_out(client, world):
    ana = world["ana"]
    phone = Client()
    assert phone.login(username=ana.username, password=PASSWORD)
    other_device = Session.objects.get().pk
    assert client.login(username=ana.username, password=PASSWORD)
    page = client.get(URL).content.decode()
    assert "This cannot be undone." in page
    response = client.post(URL, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=ana.pk).exists()
    assert not Session.objects.filter(pk=other_device).exists()
    assert not phone.get("/").context["user"].is_authenticated
    assert not client.get("/").context["user"].is_authenticated
    assert not client.login(username=ana.username, password=PASSWORD)
    response = client.post("/accounts/login/", {"login": "ana@example.com", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error: no such account
    assert not client.get("/").context["user"].is_authenticated
    # The idea page still shows her idea, by “Former member”.
    hers = world["hers"]
    html = client.get(hers.get_absolute_url()).content.decode()
    assert "Round up my card payments" in html and "Former member" in html
    assert "Ana García" not in html


def test_a_wrong_password_deletes_nothing(client, world):
    client.force_login(world["ana"])
    response = client.post(URL, {"password": "not-my-password", "confirm": "on"})
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    response = client.post(URL, {"password": PASSWORD})
    assert "Tick the box to confirm" in response.content.decode()
    assert User.objects.filter(pk=world["ana"].pk).exists()
    assert Idea.objects.get(pk=world["popular"].pk).vote_count == 4


def test_deleting_needs_a_signed_in_member_and_a_post(client, world):
    assert client.post(URL, {"password": PASSWORD, "confirm": "on"}).status_code == 302
    assert User.objects.filter(pk=world["ana"].pk).exists()


def test_an_administrator_cannot_delete_themselves_here():
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(CannotDelete):
        member_delete(member=admin)
    assert User.objects.filter(pk=admin.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_counts_stay_exact_when_several_voters_leave():
    campaign = make_campaign(vote_budget=0)
    members = [UserFactory() for _ in range(5)]
    ideas = [IdeaFactory(campaign=campaign, author=members[0]) for _ in range(3)]
    for member in members:
        for idea in ideas:
            vote_cast(idea=idea, member=member)
    for member in members[1:4]:
        member_delete(member=member)
    assert [Idea.objects.get(pk=i.pk).vote_count for i in ideas] == [2, 2, 2]
    assert_counts_exact()
