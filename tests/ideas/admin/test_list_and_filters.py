"""The admin idea list: filters, sorting, search, pagination and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import Idea, Stage
from ideas.services import idea_move
from tests.factories import IdeaFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db


def titles(client, **params):
    response = client.get("/admin/ideas/", params)
    assert response.status_code == 200
    return [idea.title for idea in response.context["object_list"]]


def test_list_shows_title_campaign_stage_votes_and_assignee(team_client, team):
    campaign = make_campaign(title="Mobile app savings")
    IdeaFactory(campaign=campaign, title="Round up card payments", vote_count=12, assignee=team)
    html = team_client.get("/admin/ideas/").content.decode()
    assert "Round up card payments" in html
    assert "Mobile app savings" in html
    assert "New" in html and ">12<" in html.replace(" ", "").replace("\n", "")
    assert "Tomás Team" in html


def test_filters_by_campaign_stage_category_and_tag(team_client):
    one, two = make_campaign(), make_campaign()
    savings = one.categories.get(name="Savings")
    a = IdeaFactory(campaign=one, title="Alpha in campaign one", category=savings)
    b = IdeaFactory(campaign=two, title="Bravo in campaign two")
    b.tags.add("widget")
    c = IdeaFactory(campaign=two, title="Charlie planned", stage=Stage.objects.get(slug="planned"))
    assert titles(team_client, campaign=one.pk) == [a.title]
    assert titles(team_client, stage=c.stage_id) == [c.title]
    assert titles(team_client, category=savings.pk) == [a.title]
    tag = b.tags.get()
    assert titles(team_client, tag=tag.pk) == [b.title]


def test_filters_by_assignee_and_unassigned(team_client, team):
    campaign = make_campaign()
    mine = IdeaFactory(campaign=campaign, title="Assigned to the team", assignee=team)
    free = IdeaFactory(campaign=campaign, title="Nobody has this one")
    assert titles(team_client, assignee=team.pk) == [mine.title]
    assert titles(team_client, assignee="null") == [free.title]


def test_filters_by_created_range_minimum_votes_and_official_response(team_client, team):
    campaign = make_campaign()
    now = timezone.now()
    old = IdeaFactory(
        campaign=campaign, title="Old idea from last month", created_at=now - timedelta(days=40)
    )
    popular = IdeaFactory(campaign=campaign, title="Popular idea with votes", vote_count=30)
    answered = IdeaFactory(campaign=campaign, title="Answered idea by the team")
    idea_move(idea=answered, to_stage=answered.stage, actor=team, note="We are looking at it.")
    since = (now - timedelta(days=7)).date().isoformat()
    until = (now - timedelta(days=30)).date().isoformat()
    assert old.title not in titles(team_client, created_at_from=since)
    assert titles(team_client, created_at_to=until) == [old.title]
    assert titles(team_client, min_votes=10) == [popular.title]
    assert titles(team_client, has_response="yes") == [answered.title]
    assert answered.title not in titles(team_client, has_response="no")


def test_sorts_by_votes_comments_age_trending_and_priority_with_blanks_last(team_client):
    campaign = make_campaign()
    low = IdeaFactory(
        campaign=campaign, title="Low priority idea", reach=10, impact=1, confidence=50, effort=5
    )
    high = IdeaFactory(
        campaign=campaign,
        title="High priority idea",
        reach=1000,
        impact=3,
        confidence=80,
        effort=1,
        vote_count=1,
    )
    blank = IdeaFactory(
        campaign=campaign, title="Not scored yet idea", vote_count=99, comment_count=4
    )
    assert titles(team_client, ordering="-priority") == [high.title, low.title, blank.title]
    assert titles(team_client, ordering="priority") == [low.title, high.title, blank.title]
    assert titles(team_client, ordering="-vote_count")[0] == blank.title
    assert titles(team_client, ordering="-comment_count")[0] == blank.title
    assert titles(team_client, ordering="created_at")[0] == low.title
    assert titles(team_client, ordering="-trending")[0] == blank.title


def test_searches_titles(team_client):
    campaign = make_campaign()
    IdeaFactory(campaign=campaign, title="Freeze my card from the lock screen")
    IdeaFactory(campaign=campaign, title="Weekly spending summary")
    assert titles(team_client, q="freeze") == ["Freeze my card from the lock screen"]


def test_list_is_paginated(team_client):
    campaign = make_campaign()
    for n in range(55):
        IdeaFactory(campaign=campaign, title=f"Paginated idea number {n}")
    assert len(titles(team_client)) == 50
    assert len(titles(team_client, p=2)) == 5


def list_queries(client, count, campaign, staff):
    Idea.objects.all().delete()
    for n in range(count):
        idea = IdeaFactory(campaign=campaign, title=f"Counted idea number {n}", assignee=staff)
        idea.tags.add("counted")
    cache.clear()  # both counts with nothing cached (the filter menu, the sidebar)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/ideas/")
    assert response.status_code == 200
    assert len(response.context["object_list"]) == count
    return len(queries)


def test_list_query_count_does_not_grow_with_the_number_of_ideas(team_client, team):
    campaign = make_campaign()
    staff = UserFactory(is_staff=True)
    five = list_queries(team_client, 5, campaign, staff)
    fifty = list_queries(team_client, 50, campaign, staff)
    print(f"admin idea list: {five} queries for 5 ideas, {fifty} for 50")
    assert five == fifty
