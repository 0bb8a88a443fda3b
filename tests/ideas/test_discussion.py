import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def comment_form_data(client, idea, text, reply_to=0):
    """The hidden security fields come from the idea page, as a browser would send them."""
    response = client.get(f"{idea.campaign.url}ideas/{idea.pk}/")
    form = response.context["comment_form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if k in {"content_type", "object_pk", "timestamp", "security_hash"}
    }
    return {
        **data,
        "comment": text,
        "reply_to": reply_to,
        "next": f"{idea.campaign.url}ideas/{idea.pk}/",
        "honeypot": "",
    }


def post(client, idea, text, reply_to=0):
    return client.post("/comments/post/", comment_form_data(client, idea, text, reply_to))


def add_comment(idea, user, text="A comment", parent=None):
    return XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site_id=1,
        user=user,
        user_name=user.username,
        comment=text,
        parent_id=parent.pk if parent else 0,
    )


def test_member_comments_and_the_count_follows(member_client):
    idea = IdeaFactory()
    response = post(member_client, idea, "I would use this every week")
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert "I would use this every week" in member_client.get(response.url).content.decode()


def test_replies_nest_three_levels_deep(member_client, member):
    idea = IdeaFactory()
    root = add_comment(idea, member, "root comment")
    reply = add_comment(idea, member, "first reply", parent=root)
    assert post(member_client, idea, "reply to the reply", reply_to=reply.pk).status_code == 302
    deepest = XtdComment.objects.get(comment="reply to the reply")
    assert deepest.level == 2
    html = member_client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    assert html.count("comments--replies") == 2


def test_visitor_must_sign_in_to_comment(client):
    idea = IdeaFactory()
    member = UserFactory()
    client.force_login(member)
    data = comment_form_data(client, idea, "sneaky")
    client.logout()
    response = client.post("/comments/post/", data)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not XtdComment.objects.exists()


def test_empty_comment_shows_an_error_and_keeps_nothing_lost(member_client):
    idea = IdeaFactory()
    response = post(member_client, idea, "")
    assert response.status_code == 200
    assert "could not be posted" in response.content.decode()


def test_markdown_in_comments_is_rendered_safely(member_client):
    idea = IdeaFactory()
    post(member_client, idea, "**great** <script>alert(1)</script> [x](javascript:alert(1))")
    html = member_client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    assert "<strong>great</strong>" in html
    assert "<script>alert(1)" not in html and 'href="javascript' not in html


def test_product_team_members_are_labelled_team(client):
    idea = IdeaFactory()
    staffer = UserFactory()
    staffer.groups.add(Group.objects.get(name="Product team"))
    add_comment(idea, staffer, "Thanks, we are looking at it")
    html = client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    assert 'badge--team">Team<' in html


def test_like_and_flag_a_comment(member_client, member):
    idea = IdeaFactory()
    comment = add_comment(idea, UserFactory(), "Like me")
    next_url = f"{idea.campaign.url}ideas/{idea.pk}/"
    assert (
        member_client.post(f"/comments/like/{comment.pk}/", {"next": next_url}).status_code == 302
    )
    flagged = member_client.post(f"/moderation/flag/comment/{comment.pk}/", {"reason": "spam"})
    assert flagged.status_code == 302 and flagged["Location"] == f"{next_url}#c{comment.pk}"
    html = member_client.get(next_url).content.decode()
    assert "1 like" in html and "Liked" in html
    assert "Reported" in html and "Thanks — a moderator will look at it." in html
    assert comment.moderation_cases.get().flags.count() == 1


def test_removed_comments_leave_the_count(member):
    idea = IdeaFactory()
    comment = add_comment(idea, member)
    idea.refresh_from_db()
    assert idea.comment_count == 1
    comment.is_removed = True
    comment.save()
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_long_threads_paginate(client, member):
    idea = IdeaFactory()
    for n in range(25):
        add_comment(idea, member, f"comment number {n}")
    page1 = client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    page2 = client.get(f"{idea.campaign.url}ideas/{idea.pk}/", {"comments": 2}).content.decode()
    assert "comment number 24" in page1 and "comment number 0<" not in page1
    assert "comment number 0" in page2


def test_reconcile_task_repairs_wrong_counts(member):
    from voting.services import vote_cast
    from voting.tasks import reconcile_counts

    idea = IdeaFactory()
    vote_cast(idea=idea, member=member)
    add_comment(idea, member)
    Idea.objects.filter(pk=idea.pk).update(vote_count=40, comment_count=0)
    assert reconcile_counts.delay(idea.campaign_id).get() == 1
    idea.refresh_from_db()
    assert (idea.vote_count, idea.comment_count) == (1, 1)
