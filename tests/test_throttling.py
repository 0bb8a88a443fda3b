"""Every write is throttled per member and per address: over the limit the answer is 429 with
Retry-After and a translated message — a fragment for htmx, a page without JavaScript. Sign-in,
sign-up and password reset hold allauth's configured numbers exactly."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from cocrea.settings import base
from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.test_discussion import comment_form_data
from tests.ideas.test_views import submit

pytestmark = pytest.mark.django_db

MESSAGE = "You&#x27;re doing that too often."


@pytest.fixture(autouse=True)
def _throttling_on(settings):
    settings.THROTTLE_ENABLED = True
    settings.THROTTLE_RATES = dict.fromkeys(
        ("idea_submit", "idea_edit", "vote", "comment", "flag", "react", "follow"),
        "3/m/member,5/m/ip",
    )


def assert_refused(response, *, htmx=False, window=60):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= window
    html = response.content.decode()
    assert MESSAGE in html
    if htmx:
        assert "<html" not in html and response["HX-Reswap"] == "beforeend"
    else:
        assert "<html" in html and "Too many requests" in html


def vote(client, idea, ip="10.0.0.1", **extra):
    url = f"{idea.campaign.url}ideas/{idea.pk}/vote/"
    return client.post(url, {"action": "vote"}, REMOTE_ADDR=ip, **extra)


def test_votes_over_the_member_limit_are_refused_with_a_fragment_for_htmx(member_client, campaign):
    ideas = [IdeaFactory(campaign=campaign) for _ in range(4)]
    answers = [vote(member_client, idea, HTTP_HX_REQUEST="true") for idea in ideas]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert_refused(answers[3], htmx=True)
    assert sum(Idea.objects.values_list("vote_count", flat=True)) == 3


def test_votes_over_the_limit_without_javascript_get_a_page(member_client, campaign):
    ideas = [IdeaFactory(campaign=campaign) for _ in range(4)]
    answers = [vote(member_client, idea, ip=f"10.0.0.{n}") for n, idea in enumerate(ideas)]
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    assert_refused(answers[3])


def test_votes_from_one_address_are_limited_across_members(client, campaign):
    idea = IdeaFactory(campaign=campaign)
    statuses = []
    for _ in range(6):
        client.force_login(UserFactory())
        statuses.append(vote(client, idea).status_code)
    assert statuses == [302] * 5 + [429]


def test_idea_submissions_are_throttled(member_client, campaign):
    statuses = [
        submit(member_client, campaign, title=f"A good idea number {n}").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 302]
    assert_refused(submit(member_client, campaign))
    assert Idea.objects.count() == 3


def test_comments_are_throttled(member_client):
    idea = IdeaFactory()
    forms = [comment_form_data(member_client, idea, f"Comment {n}") for n in range(4)]
    answers = [member_client.post("/comments/post/", form) for form in forms]
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    assert_refused(answers[3])
    assert XtdComment.objects.count() == 3


def test_flags_and_likes_are_throttled(member_client, member):
    idea = IdeaFactory()
    comments = [
        XtdComment.objects.create(
            content_type=ContentType.objects.get_for_model(Idea),
            object_pk=str(idea.pk),
            site_id=1,
            user=UserFactory(),
            comment=f"Comment {n}",
        )
        for n in range(4)
    ]
    flags = [
        member_client.post(f"/moderation/flag/comment/{c.pk}/", {"reason": "spam"})
        for c in comments
    ]
    assert [f.status_code for f in flags[:3]] == [302, 302, 302]
    assert_refused(flags[3])
    likes = [member_client.post(f"/comments/like/{c.pk}/") for c in comments]
    assert [like.status_code for like in likes[:3]] == [302, 302, 302]
    assert_refused(likes[3])


def test_follows_are_throttled_with_a_fragment_for_htmx(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    url = f"{campaign.url}ideas/{idea.pk}/follow/"
    answers = [
        member_client.post(url, {"action": "follow"}, HTTP_HX_REQUEST="true") for _ in range(4)
    ]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert_refused(answers[3], htmx=True)


def test_the_refusal_is_translated(member_client, campaign):
    idea = IdeaFactory(campaign=campaign)
    for _ in range(3):
        vote(member_client, idea)
    response = member_client.post(
        f"/es{campaign.url}ideas/{idea.pk}/vote/", {"action": "vote"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 429
    assert "Espera" in response.content.decode()


# allauth: the configured numbers, exactly ------------------------------------------------------


@pytest.fixture
def allauth_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


def login(client, email, ip):
    return client.post("/accounts/login/", {"login": email, "password": "wrong"}, REMOTE_ADDR=ip)


def test_the_eleventh_failed_sign_in_from_one_address_in_a_minute_is_429(client, allauth_limits):
    assert base.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    answers = [login(client, f"person{n}@example.com", "10.1.1.1") for n in range(11)]
    for answer in answers[:10]:
        assert answer.status_code == 200
        assert "not correct" in answer.content.decode()
    assert answers[10].status_code == 429
    assert 1 <= int(answers[10]["Retry-After"]) <= 60


def test_the_sixth_failed_sign_in_to_one_account_is_429_from_any_address(client, allauth_limits):
    UserFactory(email="target@example.com")
    answers = [login(client, "target@example.com", f"10.2.2.{n}") for n in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert 240 <= int(answers[5]["Retry-After"]) <= 300


def test_the_twenty_first_sign_up_from_one_address_in_a_minute_is_429(client, allauth_limits):
    statuses = [
        client.post("/accounts/signup/", {"email": f"n{n}@example.com"}).status_code
        for n in range(21)
    ]
    assert statuses == [200] * 20 + [429]


def test_the_sixth_password_reset_for_one_address_in_a_minute_is_429(client, allauth_limits):
    member = UserFactory()
    statuses = [
        client.post(
            "/accounts/password/reset/", {"email": member.email}, REMOTE_ADDR=f"10.3.3.{n}"
        ).status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_profile_saves_and_data_exports_are_throttled(member_client, settings):
    settings.THROTTLE_RATES = {"account": "2/h/member", "data_export": "1/h/member"}
    statuses = [
        member_client.post("/members/settings/", {"display_name": "Ana"}).status_code
        for _ in range(3)
    ]
    assert statuses[:2] != [429, 429] and statuses[2] == 429
    assert member_client.get("/members/settings/my-data.json").status_code == 200
    assert_refused(member_client.get("/members/settings/my-data.json"), window=3600)


def test_marking_notifications_read_is_throttled(member_client, settings):
    settings.THROTTLE_RATES = {"notifications_read": "2/m/member"}
    statuses = [member_client.post("/notifications/read/").status_code for _ in range(2)]
    assert statuses == [302, 302]
    assert_refused(member_client.post("/notifications/read/"))
    # Opening one from the list counts against the same limit.
    assert_refused(member_client.post("/notifications/1/open/"))
