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


# A vote: what the view finds before voting (the session, the member, the idea with its stage
# and campaign in one query) and what the vote itself costs: one statement (the vote, the
# idea's count and trending score, the follow), a second one for the points it gives the
# idea's author, and the budget's lock first in a campaign with a budget.
VOTE_MAX_QUERIES = 6


def signed_in(member):
    """The member as a request has them (with their suspension state: no query to check it)."""
    from members.backends import with_suspension
    from members.models import User

    return with_suspension(User.objects.filter(pk=member.pk)).get()


@pytest.mark.postgres  # the statements are PostgreSQL's (SQLite, for development, takes more)
@pytest.mark.parametrize("budget", [0, 3])
def test_a_vote_cast_or_withdrawn_costs_at_most_six_queries(django_assert_num_queries, budget):
    from ideas.models import Idea
    from voting.services import vote_withdraw

    campaign = make_campaign(vote_budget=budget)
    idea, other = (
        Idea.objects.select_related("stage").get(pk=IdeaFactory(campaign=campaign).pk)
        for _ in range(2)
    )
    idea.campaign = other.campaign = campaign
    member = signed_in(UserFactory())
    vote_cast(idea=other, member=member)  # warm what a process keeps (the content types)
    # The savepoint of the vote's transaction (inside the test's) counts 2 here: in production
    # the transaction is BEGIN … COMMIT, which Django does not count.
    with django_assert_num_queries(2 + 2 + bool(budget)):
        assert vote_cast(idea=idea, member=member).vote_count == 1
    with django_assert_num_queries(2 + 2):
        assert vote_withdraw(idea=idea, member=member).vote_count == 0
    with django_assert_num_queries(2 + 1):  # nothing to withdraw: nothing else to write
        vote_withdraw(idea=idea, member=member)
    assert 2 + 2 + bool(budget) <= VOTE_MAX_QUERIES


@pytest.mark.postgres
@pytest.mark.parametrize("budget", [0, 3])
def test_a_vote_over_http_costs_the_idea_lookup_and_the_vote(client, budget):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = make_campaign(vote_budget=budget)
    ideas = [IdeaFactory(campaign=campaign) for _ in range(2)]
    client.force_login(UserFactory())
    url = "/votes/{}/"  # where the button posts
    client.post(url.format(ideas[1].pk), {"action": "vote"}, HTTP_HX_REQUEST="true")  # warm
    counts = []
    for action in ("vote", "unvote"):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                url.format(ideas[0].pk),
                {"action": action, "next": campaign.url},
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200
        counts.append(len(captured))
    # The member and the idea (with its stage and campaign; the session comes from the
    # cache, core.sessions), then the vote as above (its savepoint counts 2 here: BEGIN …
    # COMMIT in production).
    assert counts == [2 + 2 + 2 + bool(budget), 2 + 2 + 2]
    assert 2 + 2 + bool(budget) <= VOTE_MAX_QUERIES


@pytest.mark.postgres
def test_a_vote_to_the_campaign_pages_old_address_costs_no_more_than_before(client):
    """Pages opened before the button posted to `/votes/` still post to the campaign page's
    sub-route: Wagtail finds the page there (the site, the page, its restrictions)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = make_campaign()
    ideas = [IdeaFactory(campaign=campaign) for _ in range(2)]
    client.force_login(UserFactory())
    url = f"{campaign.url}ideas/{{}}/vote/"
    client.post(url.format(ideas[1].pk), {"action": "vote"}, HTTP_HX_REQUEST="true")  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url.format(ideas[0].pk), {"action": "vote"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and len(captured) <= 8 + 2 + 2
