"""Comments and likes answer in place with htmx (the new comment in its thread, the count, a
confirmation, a fresh form; the like button in its new state) and still work without
JavaScript (a redirect and a message). A refusal with htmx leaves the form and its text alone."""

import re

import pytest
from django.contrib.messages import get_messages
from django_comments_xtd.models import XtdComment

from tests.factories import IdeaFactory, UserFactory, like, suspend
from tests.ideas.test_discussion import add_comment, comment_form_data

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def htmx_post(client, idea, text, reply_to=0):
    return client.post("/comments/post/", comment_form_data(client, idea, text, reply_to), **HTMX)


def like_url(comment):
    return f"/comments/like/{comment.pk}/"


def test_a_comment_posted_with_htmx_comes_back_in_place(member_client):
    idea = IdeaFactory()
    response = htmx_post(member_client, idea, "I would use this every week")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    comment = XtdComment.objects.get()
    # A fresh, empty form replaces the one sent ...
    assert html.startswith('<form class="comment-form" id="comment-form-0"')
    assert re.search(r'<textarea id="comment-0"[^>]*></textarea>', html)
    # ... the comment goes first in the discussion, the count follows, and it is confirmed.
    assert 'hx-swap-oob="afterbegin:#comment-list"' in html and f'id="c{comment.pk}"' in html
    assert "I would use this every week" in html
    assert re.search(r'hx-swap-oob="innerHTML:#discussion-heading">\s*1 comment\s*<', html)
    assert 'hx-swap-oob="innerHTML:#comment-status-0"' in html
    assert "Your comment is posted." in html
    # Nothing is left waiting for the next page.
    assert not list(get_messages(response.wsgi_request))


def test_a_reply_posted_with_htmx_goes_at_the_end_of_its_thread(member_client, member):
    idea = IdeaFactory()
    root = add_comment(idea, member, "root comment")
    html = htmx_post(member_client, idea, "a reply", reply_to=root.pk).content.decode()
    assert f'hx-swap-oob="beforeend:#replies-{root.pk}"' in html
    assert html.startswith(f'<form class="comment-form" id="comment-form-{root.pk}"')
    assert f'id="comment-status-{root.pk}"' not in html  # the status line is outside the form
    assert f'hx-swap-oob="innerHTML:#comment-status-{root.pk}"' in html


def test_the_idea_page_has_the_targets_the_answers_aim_at(member_client, member):
    idea = IdeaFactory()
    root = add_comment(idea, member, "root comment")
    html = member_client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    for target in (
        'id="comment-list"',
        'id="discussion-heading"',
        f'id="replies-{root.pk}"',
        'id="comment-status-0" role="status" aria-live="polite"',
        f'id="like-{root.pk}"',
        # The reply form (with its status line) is the page's one, put under the comment
        # when the member opens "Reply": its ids then say the comment's id.
        f'data-reply-to="{root.pk}"',
        'id="comment-status-__reply__" role="status" aria-live="polite"',
    ):
        assert target in html, target


def test_a_held_comment_says_it_waits_for_review_and_is_not_shown(member_client, settings):
    settings.BLOCKED_WORDS = ["casino"]
    idea = IdeaFactory()
    html = htmx_post(member_client, idea, "Play at the casino").content.decode()
    comment = XtdComment.objects.get()
    assert not comment.is_public
    assert "waiting for review" in html
    assert "#comment-list" not in html and "Play at the casino" not in html


def test_an_empty_comment_with_htmx_comes_back_with_the_error(member_client):
    idea = IdeaFactory()
    html = htmx_post(member_client, idea, "").content.decode()
    assert 'aria-invalid="true"' in html and "hx-swap-oob" not in html
    assert not XtdComment.objects.exists()


def test_a_suspended_member_with_htmx_keeps_the_text_and_reads_why(member_client, member):
    idea = IdeaFactory()
    data = comment_form_data(member_client, idea, "my long careful comment")
    suspend(member)
    response = member_client.post("/comments/post/", data, **HTMX)
    assert response["HX-Reswap"] == "none"
    html = response.content.decode()
    assert 'hx-swap-oob="innerHTML:#comment-status-0"' in html and "suspended" in html.lower()
    assert not XtdComment.objects.exists()


def test_a_signed_out_member_with_htmx_is_asked_to_sign_in_and_keeps_the_text(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    data = comment_form_data(client, idea, "typed before my session ended")
    client.logout()
    response = client.post("/comments/post/", data, **HTMX)
    assert response["HX-Reswap"] == "none"
    assert "/accounts/login/?next=" in response.content.decode()
    assert not XtdComment.objects.exists()


def test_without_javascript_a_comment_redirects_with_a_confirmation(member_client):
    idea = IdeaFactory()
    data = comment_form_data(member_client, idea, "No JavaScript here")
    response = member_client.post("/comments/post/", data, follow=True)
    assert response.redirect_chain and "Your comment is posted." in response.content.decode()
    assert "No JavaScript here" in response.content.decode()


def test_without_javascript_a_held_comment_says_it_waits_for_review(member_client, settings):
    settings.BLOCKED_WORDS = ["casino"]
    idea = IdeaFactory()
    data = comment_form_data(member_client, idea, "casino night")
    html = member_client.post("/comments/post/", data, follow=True).content.decode()
    assert "waiting for review" in html and "Your comment is posted." not in html


def test_a_like_with_htmx_answers_the_button_in_its_new_state(member_client):
    idea = IdeaFactory()
    comment = add_comment(idea, UserFactory(), "likeable")
    like(comment, UserFactory())
    html = member_client.post(like_url(comment), **HTMX).content.decode()
    assert html.startswith(f'<form class="comment-like" id="like-{comment.pk}"')
    assert 'aria-pressed="true"' in html and "2 likes" in html
    assert "you like this comment" in html
    html = member_client.post(like_url(comment), **HTMX).content.decode()
    assert 'aria-pressed="false"' in html and "1 like" in html and "taken back" in html


def test_a_like_without_javascript_redirects_to_the_comment_with_a_message(member_client):
    idea = IdeaFactory()
    comment = add_comment(idea, UserFactory(), "likeable")
    response = member_client.post(like_url(comment))
    assert response.status_code == 302 and response.url.endswith(f"#c{comment.pk}")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Thanks: you like this comment."]


def test_a_suspended_member_cannot_like_with_htmx(member_client, member):
    idea = IdeaFactory()
    comment = add_comment(idea, UserFactory(), "likeable")
    suspend(member)
    html = member_client.post(like_url(comment), **HTMX).content.decode()
    assert "suspended" in html.lower() and 'aria-pressed="false"' in html
    assert comment.flags.count() == 0


def test_a_form_left_open_too_long_keeps_the_text_and_says_what_to_do(member_client):
    idea = IdeaFactory()
    data = comment_form_data(member_client, idea, "written over a long lunch")
    data["timestamp"] = str(int(data["timestamp"]) - 3 * 3600)  # the hash no longer matches
    response = member_client.post("/comments/post/", data, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert "too old to post from" in response.content.decode()
    assert not XtdComment.objects.exists()


def test_a_comment_posted_from_a_spanish_page_answers_in_spanish(member_client):
    """The comment endpoints sit under the language prefix: the Spanish page's form posts to
    /es/comments/post/, and the answer swapped into the page is in Spanish."""
    idea = IdeaFactory()
    page = member_client.get(f"/es{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    assert 'action="/es/comments/post/"' in page
    data = comment_form_data(member_client, idea, "Lo usaría cada semana")
    html = member_client.post("/es/comments/post/", data, **HTMX).content.decode()
    assert "Tu comentario está publicado." in html
    assert "Your comment is posted." not in html
