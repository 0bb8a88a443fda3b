"""The honeypot on the public forms that write: a field people never see; a bot that fills it
is sent on quietly and nothing is stored (sign-up, idea submit and edit, comments)."""

import pytest
from allauth.account.models import EmailAddress
from django_comments_xtd.models import XtdComment

from ideas.models import Idea
from members.models import User
from tests.factories import IdeaFactory, make_campaign
from tests.ideas.test_discussion import comment_form_data

pytestmark = pytest.mark.django_db

BOT = "http://bot.example/"


def signup_data(**extra):
    return {
        "email": "bot@example.com",
        "username": "botty",
        "password1": "a-good-test-password-42",
        "password2": "a-good-test-password-42",
        "accept_code_of_conduct": "on",
        **extra,
    }


def test_the_sign_up_form_has_a_hidden_honeypot(client):
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'aria-hidden="true"' in html


def test_a_bot_filling_the_sign_up_honeypot_is_sent_on_and_nothing_is_stored(client):
    response = client.post("/accounts/signup/", signup_data(website=BOT))
    assert response.status_code == 302
    assert not User.objects.filter(username="botty").exists()
    assert not EmailAddress.objects.filter(email="bot@example.com").exists()


def test_a_person_signs_up_with_the_honeypot_empty(client):
    client.post("/accounts/signup/", signup_data(website=""))
    assert User.objects.filter(username="botty").exists()


def idea_data(campaign, **extra):
    return {
        "title": "Weekly spending summary on Sunday",
        "description": "A short notification every Sunday with what I spent.",
        "category": campaign.categories.first().pk,
        **extra,
    }


def test_the_idea_form_has_the_honeypot(member_client):
    campaign = make_campaign()
    assert 'name="website"' in member_client.get(f"{campaign.url}submit/").content.decode()


def test_a_bot_filling_the_idea_honeypot_stores_nothing(member_client):
    campaign = make_campaign()
    response = member_client.post(f"{campaign.url}submit/", idea_data(campaign, website=BOT))
    assert response.status_code == 302
    assert not Idea.objects.exists()
    member_client.post(f"{campaign.url}submit/", idea_data(campaign, website=""))
    assert Idea.objects.count() == 1


def test_a_bot_filling_the_edit_honeypot_changes_nothing(client):
    idea = IdeaFactory()
    client.force_login(idea.author)
    client.post(
        f"{idea.campaign.url}ideas/{idea.pk}/edit/",
        {"title": "Spam spam spam spam", "description": idea.description, "website": BOT},
    )
    idea.refresh_from_db()
    assert idea.title != "Spam spam spam spam"


def test_a_bot_filling_the_comment_honeypot_stores_nothing_and_gets_no_error(member_client):
    idea = IdeaFactory()
    data = {**comment_form_data(member_client, idea, "Buy now"), "honeypot": BOT}
    response = member_client.post("/comments/post/", data)
    assert response.status_code == 302
    assert not XtdComment.objects.exists()
