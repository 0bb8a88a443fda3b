"""Query counts per page: fixed, whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import IdeaFactory, UserFactory, make_campaign
from tests.ideas.test_discussion import add_comment
from voting.services import vote_cast

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def queries(client, url):
    client.get(url)  # warm caches that persist across requests in production too (site root)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow(campaign, n, voter):
    for _ in range(n):
        idea = IdeaFactory(campaign=campaign)
        idea.tags.add("alpha", "beta")
        vote_cast(idea=idea, member=voter)


def test_home_page_queries_do_not_grow_with_campaigns(client):
    make_campaign()
    small = queries(client, "/")
    for _ in range(5):
        make_campaign()
    assert queries(client, "/") == small <= MAX_QUERIES


def test_campaign_index_queries_do_not_grow_with_campaigns(client):
    make_campaign()
    small = queries(client, "/campaigns/")
    for phase in ("upcoming", "voting", "closed", "open"):
        make_campaign(phase=phase)
    assert queries(client, "/campaigns/") == small <= MAX_QUERIES


@pytest.mark.parametrize("budget", [0, 40])
@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("sort", ["trending", "top", "random"])
def test_campaign_idea_list_queries_are_constant(client, signed_in, sort, budget):
    campaign = make_campaign(vote_budget=budget)
    voter = UserFactory()
    if signed_in:
        client.force_login(voter)
    grow(campaign, 3, voter)
    url = f"{campaign.url}?sort={sort}"
    small = queries(client, url)
    grow(campaign, 30, voter)
    assert queries(client, url) == small <= MAX_QUERIES


def test_idea_detail_with_200_comments_has_the_same_queries_as_with_2(client):
    idea = IdeaFactory()
    idea.tags.add("alpha")
    people = UserFactory.create_batch(5)
    client.force_login(people[0])
    root = add_comment(idea, people[1])
    add_comment(idea, people[2], parent=root)
    url = f"{idea.campaign.url}ideas/{idea.pk}/"
    small = queries(client, url)
    for n in range(66):
        root = add_comment(idea, people[n % 5], f"comment {n}")
        reply = add_comment(idea, people[(n + 1) % 5], parent=root)
        add_comment(idea, people[(n + 2) % 5], parent=reply)
    assert queries(client, url) == small <= MAX_QUERIES + 4
