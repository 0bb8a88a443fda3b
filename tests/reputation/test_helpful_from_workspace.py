"""The product team marks helpful answers where it triages: the idea's workspace in the admin
lists the discussion, each comment with its helpful mark and a button; marking there earns the
author the points and brings the team back to the workspace."""

import pytest
from django.urls import reverse

from reputation.models import HelpfulMark, ReputationSettings
from reputation.selectors import WORKSPACE_COMMENTS_PER_PAGE
from tests.factories import (
    IdeaFactory,
    UserFactory,
    comment_on,
    grant_group_permissions,
    total_points,
)

pytestmark = pytest.mark.django_db

D = ReputationSettings()


@pytest.fixture
def team_client(client, team):
    grant_group_permissions()
    client.force_login(team)
    return client


def workspace(idea):
    return reverse("ideas:edit", args=[idea.pk])


def test_the_workspace_lists_the_discussion_with_a_mark_helpful_button(team_client):
    idea = IdeaFactory()
    comment_on(idea, UserFactory(), "Try the savings pot in settings.")
    html = team_client.get(workspace(idea)).content.decode()
    assert "Try the savings pot in settings." in html
    assert "Mark helpful" in html


def test_marking_from_the_workspace_returns_to_it_and_awards_the_points(team_client, member):
    idea = IdeaFactory()
    comment = comment_on(idea, member, "Round up in the card settings.")
    response = team_client.post(
        f"{idea.get_absolute_url()}comments/{comment.pk}/helpful/",
        {"action": "mark", "next": f"{workspace(idea)}?comments=1#workspace-c{comment.pk}"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(workspace(idea))
    assert HelpfulMark.objects.filter(comment=comment).exists()
    assert total_points(member) == D.comment_helpful
    html = team_client.get(workspace(idea)).content.decode()
    assert "Marked helpful by the team" in html and "Unmark helpful" in html


def test_an_off_site_next_is_ignored(team_client, member):
    idea = IdeaFactory()
    comment = comment_on(idea, member)
    response = team_client.post(
        f"{idea.get_absolute_url()}comments/{comment.pk}/helpful/",
        {"action": "mark", "next": "https://evil.example/"},
    )
    assert response["Location"].endswith(f"#c{comment.pk}")


def test_the_discussion_in_the_workspace_is_paginated(team_client):
    idea = IdeaFactory()
    for n in range(WORKSPACE_COMMENTS_PER_PAGE + 1):
        comment_on(idea, UserFactory(), f"Comment number {n:02d}")
    first = team_client.get(workspace(idea)).content.decode()
    assert "Comment number 00" not in first  # newest first: the oldest is on page 2
    assert "Page 1 of 2" in first
    second = team_client.get(workspace(idea), {"comments": 2}).content.decode()
    assert "Comment number 00" in second
