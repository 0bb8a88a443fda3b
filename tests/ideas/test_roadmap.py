"""The public roadmap: a column per *on roadmap* stage, public ideas only, filterable, capped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import Idea, RoadmapPage, Stage
from ideas.services import idea_move
from tests.factories import IdeaFactory, UserFactory, make_campaign, site_tree

pytestmark = pytest.mark.django_db

# Anonymous visitor: 6 are Wagtail's page serving (site, routing, view restrictions), then the
# campaigns' view restrictions (`Idea.objects.public()`, live campaigns as a subquery), the stages,
# the filter choices and the ideas. A signed-in member adds the session and the user.
ROADMAP_MAX_QUERIES = 10


def roadmap_page():
    home, _index = site_tree()
    page = RoadmapPage.objects.first()
    if page is None:
        page = home.add_child(instance=RoadmapPage(title="Roadmap", slug="roadmap"))
    return page


def team_member():
    return UserFactory(is_team=True, is_staff=True)


def stage(slug):
    return Stage.objects.get(slug=slug)


def on_stage(slug, **fields):
    idea = IdeaFactory(**fields)
    Idea.objects.filter(pk=idea.pk).update(stage=stage(slug))
    idea.refresh_from_db()
    return idea


def test_roadmap_shows_a_column_per_roadmap_stage_in_order(client):
    roadmap_page()
    response = client.get("/roadmap/")
    assert response.status_code == 200
    html = response.content.decode()
    headings = [s.display_name for s in Stage.objects.filter(on_roadmap=True)]
    assert headings == ["Planned", "In progress", "Shipped"]
    positions = [
        html.index(f'id="roadmap-{slug}"') for slug in ("planned", "in-progress", "shipped")
    ]
    assert positions == sorted(positions)
    assert 'id="roadmap-new"' not in html and 'id="roadmap-declined"' not in html


def test_roadmap_card_links_the_idea_with_votes_campaign_category_and_response(client):
    roadmap_page()
    campaign = make_campaign(title="Saving habits")
    idea = IdeaFactory(campaign=campaign, title="Round up card purchases", vote_count=7)
    Idea.objects.filter(pk=idea.pk).update(category=campaign.categories.first())
    idea_move(
        idea=idea,
        to_stage=stage("planned"),
        actor=team_member(),
        note="Planned for the spring release.",
    )
    response = client.get("/roadmap/")
    html = response.content.decode()
    assert f'href="{campaign.url}ideas/{idea.pk}/"' in html
    assert "Round up card purchases" in html
    assert "7 votes" in html
    assert "Saving habits" in html
    assert "Savings" in html  # the category
    assert "Planned for the spring release." in html


def test_roadmap_leaves_out_private_pending_and_off_roadmap_ideas(client):
    roadmap_page()
    shown = on_stage("planned", title="A public planned idea")
    on_stage("planned", title="A pending planned idea", status=Idea.Status.PENDING)
    on_stage("new", title="A brand new idea here")
    unpublished = make_campaign()
    on_stage("planned", campaign=unpublished, title="Idea of an unpublished campaign")
    unpublished.unpublish()
    from wagtail.models import PageViewRestriction

    restricted = make_campaign()
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    on_stage("planned", campaign=restricted, title="Idea of a restricted campaign")
    html = client.get("/roadmap/").content.decode()
    assert shown.title in html
    for hidden in (
        "A pending planned idea",
        "A brand new idea here",
        "Idea of an unpublished campaign",
        "Idea of a restricted campaign",
    ):
        assert hidden not in html


def test_roadmap_filters_by_campaign_and_category_without_javascript(client):
    roadmap_page()
    one, two = make_campaign(title="First campaign"), make_campaign(title="Second campaign")
    security = one.categories.get(name="Security")
    a = on_stage("planned", campaign=one, title="Idea alpha in the first")
    b = on_stage("planned", campaign=one, title="Idea beta in the first", category=security)
    c = on_stage("in-progress", campaign=two, title="Idea gamma in the second")
    html = client.get("/roadmap/", {"campaign": one.slug}).content.decode()
    assert a.title in html and b.title in html and c.title not in html
    assert '<form class="filters" method="get"' in html
    assert f'<option value="{one.slug}" selected>' in html
    html = client.get("/roadmap/", {"campaign": one.slug, "category": "security"}).content.decode()
    assert b.title in html and a.title not in html
    html = client.get("/roadmap/", {"campaign": "no-such-campaign"}).content.decode()
    assert a.title in html and c.title in html  # an unknown filter is ignored, not an error


def test_each_column_is_capped_with_the_number_left_out(client):
    from ideas import selectors

    roadmap_page()
    campaign = make_campaign()
    ideas = [on_stage("planned", campaign=campaign, vote_count=n) for n in range(5)]
    request = client.get("/").wsgi_request
    request.GET = request.GET.copy()
    _filter, columns = selectors.roadmap_columns(request=request, limit=3)
    planned = columns[0]
    assert [i.pk for i in planned["ideas"]] == [i.pk for i in reversed(ideas)][:3]
    assert planned["total"] == 5 and planned["more"] == 2
    assert planned["more_url"] == ""
    request.GET = request.GET.copy()
    request.GET["campaign"] = campaign.slug
    _filter, columns = selectors.roadmap_columns(request=request, limit=3)
    assert columns[0]["more_url"] == f"{campaign.url}?stage=planned&sort=top"


def test_roadmap_says_how_many_more_ideas_a_full_column_has(client, settings):
    from ideas import selectors

    roadmap_page()
    campaign = make_campaign()
    for _ in range(selectors.ROADMAP_COLUMN_LIMIT + 2):
        on_stage("shipped", campaign=campaign)
    html = client.get("/roadmap/").content.decode()
    assert "2 more ideas" in html
    html = client.get("/roadmap/", {"campaign": campaign.slug}).content.decode()
    assert f'href="{campaign.url}?stage=shipped&amp;sort=top"' in html


def roadmap_queries(client, url="/roadmap/"):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow(n, campaigns):
    for i in range(n):
        campaign = campaigns[i % len(campaigns)]
        on_stage(
            ("planned", "in-progress", "shipped")[i % 3],
            campaign=campaign,
            category=campaign.categories.all()[i % 2],
            vote_count=i,
            response=f"Note {i}",
        )


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("query", ["", "?campaign=campaign-x&category=security"])
def test_roadmap_queries_do_not_grow_with_the_number_of_ideas(client, signed_in, query):
    roadmap_page()
    campaigns = [make_campaign(slug="campaign-x"), make_campaign()]
    if signed_in:
        client.force_login(UserFactory())
    grow(3, campaigns)
    small = roadmap_queries(client, f"/roadmap/{query}")
    grow(57, campaigns)
    assert Idea.objects.count() == 60
    large = roadmap_queries(client, f"/roadmap/{query}")
    print(f"roadmap queries: {small} with 3 ideas, {large} with 60 ideas")
    # Signed in: the session, the member, and which of the cards they voted for (vote buttons).
    assert large == small <= ROADMAP_MAX_QUERIES + (3 if signed_in else 0)


def test_choosing_a_campaign_narrows_the_category_list(client):
    roadmap_page()
    one = make_campaign(title="First campaign")
    two = make_campaign(title="Second campaign", categories=("Branches", "Opening hours"))
    one_security = one.categories.get(name="Security")
    two_category = two.categories.get(name="Branches")
    on_stage("planned", campaign=one, category=one_security)
    on_stage("planned", campaign=two, category=two_category)
    html = client.get("/roadmap/").content.decode()
    assert 'value="security"' in html and f'value="{two_category.slug}"' in html
    html = client.get("/roadmap/", {"campaign": one.slug}).content.decode()
    assert 'value="security"' in html and f'value="{two_category.slug}"' not in html
    # A category left over from the other campaign is dropped, not reported as an error.
    query = {"campaign": one.slug, "category": two_category.slug}
    html = client.get("/roadmap/", query).content.decode()
    assert "Some filters were not understood" not in html
    assert '<option value="" selected>All categories</option>' in html


def test_the_roadmap_form_is_swapped_with_the_board_so_htmx_narrows_categories_too(client):
    roadmap_page()
    html = client.get("/roadmap/").content.decode()
    form = html[html.index('<form class="filters"') :]
    assert 'hx-select="#roadmap-view"' in form[: form.index(">")]
    view = html.index('id="roadmap-view"')
    assert view < html.index('<form class="filters"') < html.index('id="roadmap-board"')


def test_the_intro_replaces_the_built_in_sentence_and_the_changelog_link_stays(client):
    sentence = "What the product team has planned, is building and has shipped, from your ideas."
    page = roadmap_page()
    html = client.get("/roadmap/").content.decode()
    assert sentence in html and "See the changelog" in html
    page.intro = "<p>Our plans, straight from your ideas.</p>"
    page.save_revision().publish()
    html = client.get("/roadmap/").content.decode()
    assert "Our plans, straight from your ideas." in html
    assert sentence not in html
    assert "See the changelog" in html
