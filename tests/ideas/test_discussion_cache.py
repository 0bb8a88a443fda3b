"""The idea page's discussion comes from a cache shared by every viewer of the same role
(ideas.discussion): what is one viewer's own — their likes, the report widget on others'
comments, their CSRF token, the team's "Mark helpful" — never reaches another viewer, and a new
comment, a like, a helpful mark, a hidden or removed comment or an author's new name shows at
once."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token

from members.models import User
from moderation.models import FlagReason
from moderation.services import item_flag
from reputation.services import comment_mark_helpful
from tests.factories import IdeaFactory, UserFactory, comment_on, like, team_member

pytestmark = pytest.mark.django_db


def page(client, idea, query=""):
    response = client.get(f"{idea.url}{query}")
    assert response.status_code == 200
    return response.content.decode()


def like_button(html, comment):
    form = re.search(rf'<form class="comment-like" id="like-{comment.pk}".*?</form>', html, re.S)
    assert form, f"no like form for comment {comment.pk}"
    return form.group(0)


def comment_block(html, comment):
    """The comment's own part of the page (up to its reply list)."""
    start = html.index(f'id="c{comment.pk}"')
    end = html.index(f'id="replies-{comment.pk}"', start)
    return html[start:end]


def signed_in(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def two(client):
    ana, ben = UserFactory(display_name="Ana Viewer"), UserFactory(display_name="Ben Viewer")
    return signed_in(type(client), ana), ana, signed_in(type(client), ben), ben


def test_a_members_likes_are_theirs_only(two):
    ana_client, ana, ben_client, _ben = two
    idea = IdeaFactory()
    liked, other = comment_on(idea, text="Liked by Ana"), comment_on(idea, text="Liked by no one")
    like(liked, ana)
    for _round in range(2):  # each viewer after the other has filled the cache
        ana_html, ben_html = page(ana_client, idea), page(ben_client, idea)
        assert 'aria-pressed="true"' in like_button(ana_html, liked)
        assert 'aria-pressed="false"' in like_button(ana_html, other)
        assert 'aria-pressed="false"' in like_button(ben_html, liked)
        assert "1 like" in like_button(ben_html, liked)  # the count is everyone's


def test_the_report_widget_follows_the_viewer(two):
    ana_client, ana, ben_client, ben = two
    idea = IdeaFactory()
    by_ana, by_other = comment_on(idea, ana, "Written by Ana"), comment_on(idea, text="Spam?")
    item_flag(item=by_other, member=ben, reason=FlagReason.SPAM)
    for _round in range(2):
        ana_html, ben_html = page(ana_client, idea), page(ben_client, idea)
        assert "Report this comment" not in comment_block(ana_html, by_ana)  # her own
        assert "Report this comment" in comment_block(ana_html, by_other)
        assert "Report this comment" in comment_block(ben_html, by_ana)
        other = comment_block(ben_html, by_other)
        assert "Reported" in other and "Report this comment" not in other


def test_every_csrf_token_on_the_page_is_the_viewers_own(two):
    ana_client, _ana, ben_client, _ben = two
    idea = IdeaFactory()
    comment_on(idea, text="Something to like")
    for client in (ana_client, ben_client, ana_client):
        html = page(client, idea)
        secret = client.cookies["csrftoken"].value
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert len(tokens) >= 2  # the comment form's and the like button's
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_team_controls_stay_with_the_team(client, two):
    ana_client, *_rest = two
    team = signed_in(type(client), team_member())
    idea = IdeaFactory()
    comment_on(idea, text="Worth marking")
    assert "Mark helpful" in page(team, idea)
    assert "Mark helpful" not in page(ana_client, idea)
    assert "Mark helpful" in page(team, idea)
    anonymous = page(client, idea)
    assert "Worth marking" in anonymous
    assert "Mark helpful" not in anonymous and "comment-like" not in anonymous


def test_the_discussion_never_shows_a_stale_state(two, settings):
    ana_client, ana, _ben_client, _ben = two
    idea = IdeaFactory()
    author = UserFactory(display_name="First Name")
    first = comment_on(idea, author, "The first opinion")
    assert "The first opinion" in page(ana_client, idea)

    reply = comment_on(idea, text="A fresh reply", parent=first)
    assert "A fresh reply" in page(ana_client, idea)

    like(first, UserFactory())
    assert "1 like" in like_button(page(ana_client, idea), first)

    comment_mark_helpful(comment=first, actor=team_member())
    assert "Marked helpful by the team" in comment_block(page(ana_client, idea), first)

    User.objects.filter(pk=author.pk).update(display_name="Second Name")
    html = page(ana_client, idea)
    assert "Second Name" in html and "First Name" not in html

    settings.MODERATION_HIDE_AT_FLAGS = 2
    for _ in range(2):
        item_flag(item=reply, member=UserFactory(), reason=FlagReason.SPAM)
    assert "A fresh reply" not in page(ana_client, idea)

    type(first).objects.filter(pk=first.pk).update(is_removed=True)
    html = page(ana_client, idea)
    assert "The first opinion" not in html and "This comment was removed." in html


def test_without_javascript_the_reply_form_opens_under_the_comment(two):
    ana_client, *_rest = two
    idea = IdeaFactory()
    comment = comment_on(idea, text="Reply to me")
    page(ana_client, idea)  # the shared discussion is cached
    html = page(ana_client, idea, f"?reply={comment.pk}")
    block = html[html.index(f'id="c{comment.pk}"') :]
    assert '<details class="reply" open>' in block
    assert f'id="comment-form-{comment.pk}"' in block
    assert '<details class="reply" open>' not in page(ana_client, idea)
