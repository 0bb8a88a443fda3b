"""Public reads: what anonymous visitors get from /api/v1/, and what they never get."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from ideas.models import Idea, Stage
from ideas.services import idea_move
from tests.factories import IdeaFactory, UserFactory, make_campaign
from tests.ideas.test_discussion import add_comment

pytestmark = pytest.mark.django_db


def stage(slug):
    return Stage.objects.get(slug=slug)


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_anonymous_visitor_lists_public_ideas_with_their_public_fields(api, campaign):
    idea = IdeaFactory(campaign=campaign, category=campaign.categories.first())
    idea.tags.add("mobile", "savings")
    response = api.get("/api/v1/ideas/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["id"] == idea.pk
    assert item["title"] == idea.title
    assert item["campaign"] == {"id": campaign.pk, "title": campaign.title, "slug": campaign.slug}
    assert item["category"] == {"name": "Savings", "slug": "savings"}
    assert item["tags"] == ["mobile", "savings"]
    assert item["stage"] == {"slug": "new", "name": "New"}
    assert item["status"] == "published"
    assert item["url"] == f"http://testserver{campaign.url}ideas/{idea.pk}/"
    assert item["merged_into"] is None
    for private in ("author", "assignee", "reach", "impact", "confidence", "effort", "priority"):
        assert private not in item


@pytest.mark.parametrize("status", ["pending", "withdrawn", "rejected"])
def test_ideas_that_are_not_published_are_hidden_and_404(api, campaign, status):
    idea = IdeaFactory(campaign=campaign, status=status)
    assert api.get("/api/v1/ideas/").json()["count"] == 0
    assert api.get(f"/api/v1/ideas/{idea.pk}/").status_code == 404
    assert api.get(f"/api/v1/ideas/{idea.pk}/history/").status_code == 404


def test_ideas_of_unpublished_campaigns_are_404(api, campaign):
    idea = IdeaFactory(campaign=campaign)
    campaign.unpublish()
    assert api.get("/api/v1/ideas/").json()["count"] == 0
    assert api.get(f"/api/v1/ideas/{idea.pk}/").status_code == 404
    assert api.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 404


def test_ideas_of_view_restricted_campaigns_are_404_even_for_members_of_the_group(api, campaign):
    idea = IdeaFactory(campaign=campaign)
    group = Group.objects.create(name="Premium customers in Spain")
    restriction = PageViewRestriction.objects.create(
        page=campaign, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    insider = UserFactory()
    insider.groups.add(group)
    api.force_authenticate(insider)
    assert api.get("/api/v1/ideas/").json()["count"] == 0
    assert api.get(f"/api/v1/ideas/{idea.pk}/").status_code == 404
    assert api.get("/api/v1/campaigns/").json()["count"] == 0


def test_campaigns_list_live_public_campaigns_with_phase_and_categories(api):
    open_campaign = make_campaign(summary="Help us save")
    closed = make_campaign(phase="closed")
    draft = make_campaign()
    draft.unpublish()
    data = api.get("/api/v1/campaigns/").json()
    by_id = {item["id"]: item for item in data["results"]}
    assert set(by_id) == {open_campaign.pk, closed.pk}
    item = by_id[open_campaign.pk]
    assert item["phase"] == "open"
    assert by_id[closed.pk]["phase"] == "closed"
    assert item["summary"] == "Help us save"
    assert item["url"] == f"http://testserver{open_campaign.url}"
    assert [c["slug"] for c in item["categories"]] == ["savings", "security"]
    detail = api.get(f"/api/v1/campaigns/{open_campaign.pk}/").json()
    assert detail["slug"] == open_campaign.slug


def test_filters_match_the_public_list(api):
    campaign, other = make_campaign(), make_campaign()
    security = campaign.categories.get(slug="security")
    a = IdeaFactory(campaign=campaign, title="Round up card payments", category=security)
    b = IdeaFactory(campaign=campaign, title="A savings goal for holidays")
    c = IdeaFactory(campaign=other, title="Dark mode for the banking app")
    b.tags.add("travel")
    idea_move(idea=c, to_stage=stage("planned"), actor=UserFactory(is_team=True))

    def query(**params):
        return set(ids(api.get("/api/v1/ideas/", params)))

    assert query(campaign=campaign.pk) == {a.pk, b.pk}
    assert query(campaign=other.slug) == {c.pk}
    assert query(category="security") == {a.pk}
    assert query(stage="planned") == {c.pk}
    assert query(tag="travel") == {b.pk}
    assert query(q="holidays savings") == {b.pk}
    assert query(q="DARK mode") == {c.pk}


def test_sorts_and_pagination(api, campaign):
    ideas = [IdeaFactory(campaign=campaign) for _ in range(5)]
    Idea.objects.filter(pk=ideas[0].pk).update(vote_count=10)
    Idea.objects.filter(pk=ideas[1].pk).update(comment_count=7)
    assert ids(api.get("/api/v1/ideas/?sort=top"))[0] == ideas[0].pk
    assert ids(api.get("/api/v1/ideas/?sort=discussed"))[0] == ideas[1].pk
    newest = ids(api.get("/api/v1/ideas/?sort=newest"))
    assert newest == sorted(newest, reverse=True)
    assert api.get("/api/v1/ideas/?sort=random").status_code == 400

    first = api.get("/api/v1/ideas/?sort=newest&limit=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    by_offset = ids(api.get("/api/v1/ideas/?sort=newest&limit=2&offset=2"))
    by_page = ids(api.get("/api/v1/ideas/?sort=newest&limit=2&page=2"))
    assert by_offset == by_page == newest[2:4]


def test_official_response_and_merge_are_shown(api, campaign, team_member):
    source, target = IdeaFactory(campaign=campaign), IdeaFactory(campaign=campaign)
    idea_move(idea=target, to_stage=target.stage, actor=team_member, note="We hear you.")
    from ideas.services import ideas_merge

    ideas_merge(source=source, target=target, actor=team_member, note="Same as the other one.")
    target_data = api.get(f"/api/v1/ideas/{target.pk}/").json()
    assert target_data["response"] == "We hear you."
    assert target_data["response_at"]
    source_data = api.get(f"/api/v1/ideas/{source.pk}/").json()
    assert source_data["merged_into"] == target.pk
    assert source_data["stage"]["slug"] == "merged"


def test_stage_history_shows_moves_with_the_actor_public_name_only(api, campaign):
    actor = UserFactory(is_team=True, display_name="Ana from Product", email="ana@corp.example")
    idea = IdeaFactory(campaign=campaign)
    idea_move(idea=idea, to_stage=stage("under-review"), actor=actor)
    idea_move(idea=idea, to_stage=stage("planned"), actor=actor, note="Coming in spring.")
    response = api.get(f"/api/v1/ideas/{idea.pk}/history/")
    assert response.status_code == 200
    history = response.json()
    assert [(h["from_stage"]["slug"], h["to_stage"]["slug"]) for h in history] == [
        ("under-review", "planned"),
        ("new", "under-review"),
    ]
    assert history[0]["note"] == "Coming in spring."
    assert history[0]["actor"] == "Ana from Product"
    assert "ana@corp.example" not in response.content.decode()


def test_stages_and_roadmap(api, campaign, team_member):
    planned = IdeaFactory(campaign=campaign)
    # Being built: the default pipeline ships from “In progress”.
    shipped = IdeaFactory(campaign=campaign, stage=stage("in-progress"))
    hidden = IdeaFactory(campaign=campaign)
    IdeaFactory(campaign=campaign)  # stays new: not on the roadmap
    idea_move(idea=planned, to_stage=stage("planned"), actor=team_member)
    idea_move(idea=shipped, to_stage=stage("shipped"), actor=team_member)
    idea_move(idea=hidden, to_stage=stage("planned"), actor=team_member)
    Idea.objects.filter(pk=hidden.pk).update(status=Idea.Status.WITHDRAWN)

    stages = api.get("/api/v1/stages/").json()
    assert [s["slug"] for s in stages][:3] == ["new", "under-review", "planned"]
    assert {s["slug"] for s in stages if s["on_roadmap"]} == {"planned", "in-progress", "shipped"}

    roadmap = api.get("/api/v1/roadmap/").json()
    columns = {column["stage"]["slug"]: column["ideas"] for column in roadmap}
    assert list(columns) == ["planned", "in-progress", "shipped"]
    assert [i["id"] for i in columns["planned"]] == [planned.pk]
    assert columns["in-progress"] == []
    assert [i["id"] for i in columns["shipped"]] == [shipped.pk]


def count_queries(api, url):
    api.get(url)  # warm the site-root cache, as in production
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200
    return len(captured)


def grow(campaign, n):
    commenter = UserFactory()
    for _ in range(n):
        idea = IdeaFactory(campaign=campaign, category=campaign.categories.first())
        idea.tags.add("alpha", "beta")
        add_comment(idea, commenter)


@pytest.mark.parametrize(
    "url", ["/api/v1/ideas/?limit=100", "/api/v1/roadmap/", "/api/v1/campaigns/"]
)
def test_list_queries_do_not_grow_with_the_data(api, url, team_member):
    campaign = make_campaign()
    grow(campaign, 5)
    for idea in Idea.objects.all()[:3]:
        idea_move(idea=idea, to_stage=stage("planned"), actor=team_member)
    small = count_queries(api, url)
    grow(campaign, 25)
    make_campaign()
    for idea in Idea.objects.filter(stage__slug="new")[:10]:
        # Planned first: the default pipeline starts work on planned ideas only.
        idea_move(idea=idea, to_stage=stage("planned"), actor=team_member)
        idea_move(idea=idea, to_stage=stage("in-progress"), actor=team_member)
    assert count_queries(api, url) == small <= 6, url


def test_idea_detail_and_history_queries_are_fixed(api, campaign, team_member):
    idea = IdeaFactory(campaign=campaign)
    idea_move(idea=idea, to_stage=stage("under-review"), actor=team_member)
    short = count_queries(api, f"/api/v1/ideas/{idea.pk}/history/")
    for slug in ("planned", "in-progress", "shipped"):
        idea_move(idea=idea, to_stage=stage(slug), actor=UserFactory(is_team=True))
    assert count_queries(api, f"/api/v1/ideas/{idea.pk}/history/") == short
    assert count_queries(api, f"/api/v1/ideas/{idea.pk}/") <= 5
