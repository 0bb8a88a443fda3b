"""A suspended member can read but not post: every write service of a contribution refuses
with the message saying until when, and every HTTP write view shows it (with htmx and
without JavaScript), storing nothing. Their privacy rights stay open."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from core.exceptions import NotAllowed
from ideas.models import Follow, Idea
from ideas.services import follow, idea_submit, idea_update, idea_withdraw, unfollow
from members.permissions import suspension_message
from members.services import member_profile_update
from tests.factories import IdeaFactory, UserFactory, make_campaign, suspend
from tests.ideas.test_discussion import comment_form_data
from voting.models import Vote
from voting.services import vote_cast, vote_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    campaign = make_campaign()
    member = UserFactory(display_name="Sam")
    own = IdeaFactory(campaign=campaign, author=member)
    other = IdeaFactory(campaign=campaign, vote_count=1)
    Follow.objects.get_or_create(member=member, idea=other)
    Vote.objects.create(member=member, idea=other, campaign=campaign)
    comment = XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(other.pk),
        site_id=1,
        user=other.author,
        user_name=other.author.username,
        comment="A comment to like",
    )
    return {"campaign": campaign, "member": member, "own": own, "other": other, "c": comment}


def snapshot(w):
    """What the member's writes would change."""
    member = w["member"]
    member.refresh_from_db()
    return (
        Idea.objects.count(),
        sorted(Idea.objects.values_list("pk", "title", "status")),
        sorted(Follow.objects.filter(member=member).values_list("idea_id", flat=True)),
        sorted(Vote.objects.filter(member=member).values_list("idea_id", flat=True)),
        XtdComment.objects.count(),
        member.display_name,
    )


def idea_data(campaign, **extra):
    return {
        "title": "Weekly spending summary on Sunday",
        "description": "A short notification every Sunday with what I spent.",
        "category": campaign.categories.first(),
        **extra,
    }


SERVICES = {
    "idea_submit": lambda w: idea_submit(
        campaign=w["campaign"], author=w["member"], data=idea_data(w["campaign"])
    ),
    "idea_update": lambda w: idea_update(
        idea=w["own"], actor=w["member"], data={"title": "A changed title for my idea"}
    ),
    "idea_withdraw": lambda w: idea_withdraw(idea=w["own"], actor=w["member"]),
    "follow": lambda w: follow(member=w["member"], idea=w["own"]),
    "unfollow": lambda w: unfollow(member=w["member"], idea=w["other"]),
    "vote_cast": lambda w: vote_cast(idea=w["own"], member=w["member"]),
    "vote_withdraw": lambda w: vote_withdraw(idea=w["other"], member=w["member"]),
    "profile_display_name": lambda w: member_profile_update(
        member=w["member"], data={"display_name": "Spam King"}
    ),
}


@pytest.mark.parametrize("service", SERVICES)
def test_every_write_service_refuses_a_suspended_member(world, service):
    suspension = suspend(world["member"], days=10)
    before = snapshot(world)
    with pytest.raises(NotAllowed) as refused:
        SERVICES[service](world)
    assert refused.value.reason == suspension_message(suspension)
    assert snapshot(world) == before


@pytest.mark.parametrize("service", SERVICES)
def test_every_write_service_works_again_once_lifted(world, service):
    from members.services import member_suspension_lift
    from tests.factories import moderator

    suspend(world["member"], days=10)
    member_suspension_lift(member=world["member"], actor=moderator())
    SERVICES[service](world)  # does not raise


def idea_page(idea):
    return f"{idea.campaign.url}ideas/{idea.pk}/"


def _comment(client, w):
    return client.post(
        "/comments/post/", comment_form_data(client, w["other"], "I'd buy this"), follow=True
    )


VIEWS = {
    "idea submit": lambda c, w: c.post(
        f"{w['campaign'].url}submit/",
        {**idea_data(w["campaign"]), "category": w["campaign"].categories.first().pk},
        follow=True,
    ),
    "idea edit": lambda c, w: c.post(
        f"{idea_page(w['own'])}edit/",
        {"title": "A changed title for my idea", "description": w["own"].description},
        follow=True,
    ),
    "idea withdraw": lambda c, w: c.post(f"{idea_page(w['own'])}withdraw/", follow=True),
    "follow": lambda c, w: c.post(
        f"{idea_page(w['own'])}follow/", {"action": "follow"}, follow=True
    ),
    "follow (htmx)": lambda c, w: c.post(
        f"{idea_page(w['own'])}follow/", {"action": "follow"}, HTTP_HX_REQUEST="true"
    ),
    "unfollow": lambda c, w: c.post(
        f"{idea_page(w['other'])}follow/", {"action": "unfollow"}, follow=True
    ),
    "vote": lambda c, w: c.post(f"{idea_page(w['own'])}vote/", {"action": "vote"}, follow=True),
    "vote (htmx)": lambda c, w: c.post(
        f"{idea_page(w['own'])}vote/", {"action": "vote"}, HTTP_HX_REQUEST="true"
    ),
    "unvote": lambda c, w: c.post(
        f"{idea_page(w['other'])}vote/", {"action": "unvote"}, follow=True
    ),
    "comment": _comment,
    "like": lambda c, w: c.post(f"/comments/like/{w['c'].pk}/", follow=True),
    "profile display name": lambda c, w: c.post(
        "/members/settings/", {"display_name": "Spam King"}, follow=True
    ),
}


@pytest.mark.parametrize("view", VIEWS)
def test_every_write_view_shows_the_refusal_and_stores_nothing(client, world, view):
    suspension = suspend(world["member"], days=10)
    client.force_login(world["member"])
    before = snapshot(world)
    likes_before = world["c"].flags.count()
    response = VIEWS[view](client, world)
    assert response.status_code == 200
    assert suspension_message(suspension) in response.content.decode()
    assert snapshot(world) == before
    assert world["c"].flags.count() == likes_before


def test_the_submit_page_says_so_before_the_form_is_filled_in(client, world):
    suspension = suspend(world["member"], permanent=True)
    client.force_login(world["member"])
    html = client.get(f"{world['campaign'].url}submit/").content.decode()
    assert suspension_message(suspension) in html
    assert 'name="title"' not in html


# Privacy rights stay open --------------------------------------------------------------------


def test_a_suspended_member_downloads_their_data(client, world):
    suspend(world["member"])
    client.force_login(world["member"])
    response = client.get("/members/settings/my-data.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")


def test_a_suspended_member_changes_private_settings_and_e_mail_preferences(client, world):
    suspend(world["member"])
    client.force_login(world["member"])
    from notifications.models import NotificationKind, NotificationPreference

    client.post("/members/settings/", {"display_name": "Sam", "language": "es"})
    world["member"].refresh_from_db()
    assert world["member"].language == "es"
    client.post("/notifications/settings/", dict.fromkeys(NotificationKind.values, "none"))
    assert set(
        NotificationPreference.objects.filter(member=world["member"]).values_list(
            "frequency", flat=True
        )
    ) == {"none"}


def test_a_suspended_member_signs_out_and_deletes_their_account(client, world):
    from tests.factories import PASSWORD

    member = world["member"]
    suspend(member)
    client.force_login(member)
    response = client.post(
        "/members/settings/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    assert not type(member).objects.filter(pk=member.pk).exists()


def test_a_suspended_member_can_sign_out(client, world):
    suspend(world["member"])
    client.force_login(world["member"])
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_a_suspension_in_the_past_does_not_refuse(world):
    from members.models import Suspension

    s = suspend(world["member"], days=1)
    Suspension.objects.filter(pk=s.pk).update(until=timezone.now() - timedelta(seconds=1))
    follow(member=world["member"], idea=world["own"])


def test_the_idea_page_shows_the_notice_instead_of_the_comment_form(client, world):
    suspension = suspend(world["member"])
    client.force_login(world["member"])
    html = client.get(idea_page(world["other"])).content.decode()
    assert suspension_message(suspension) in html
    assert 'id="comment-0"' not in html
