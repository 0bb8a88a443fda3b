"""Every payload of the corpus, typed into every field a member controls, is shown as text on
every public page: never a tag, an attribute or a script URL."""

import pytest
from django.urls import reverse

from ideas.models import ChangelogPage, Idea, RoadmapPage, Stage
from tests.factories import site_tree

from .checks import assert_reached, assert_safe
from .conftest import build_world
from .xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return response.content.decode()


def pages(client, url, **params):
    """Every page of a paginated list."""
    html, number = [], 1
    while True:
        page = get(client, url, page=number, **params)
        html.append(page)
        if f"page={number + 1}" not in page:
            return "".join(html)
        number += 1


def check_campaign_idea_lists_show_the_corpus_as_text(client, world):
    seen = ""
    for campaign in world.campaigns:
        for sort in ("trending", "newest"):
            html = pages(client, campaign.url, sort=sort)
            assert_safe(html, f"{campaign.url}?sort={sort}")
            seen += html
    assert_reached(seen, PAYLOADS, "campaign idea lists")


def check_filters_and_queries_echoed_by_the_idea_list_stay_text(client, world):
    campaign = world.campaigns[0]
    # The same template echoes every parameter: half the corpus, every kind of payload.
    for payload in PAYLOADS[::2]:
        html = get(client, campaign.url, tag=payload[:100], q=payload, sort=payload)
        assert_safe(html, f"{campaign.url}?tag={payload!r}")


def check_idea_pages_show_title_description_tags_comments_and_author_as_text(client, world):
    for payload, idea in world.pairs():
        html = get(client, idea.get_absolute_url())
        assert_safe(html, f"idea page for {payload!r}")
        assert_reached(html, [payload], f"idea page for {payload!r}")


def check_submit_form_and_similar_ideas_keep_the_corpus_as_text(client, world):
    idea = world.ideas[0]
    client.force_login(idea.author)
    campaign = idea.campaign
    for payload in PAYLOADS:
        html = get(client, f"{campaign.url}similar/", title=payload)
        assert_safe(html, f"similar ideas for {payload!r}")


def check_site_search_shows_results_and_the_query_as_text(client, world):
    results = get(client, reverse("search"), q="XSS")
    assert_safe(results, "search for XSS")
    for payload in PAYLOADS:
        html = get(client, reverse("search"), q=payload)
        assert_safe(html, f"search for {payload!r}")


def check_member_profiles_show_names_ideas_and_comments_as_text(client, world):
    for payload, author in zip(PAYLOADS, world.authors, strict=True):
        html = get(client, author.get_absolute_url())
        assert_safe(html, f"profile of {payload!r}")
        assert_reached(html, [payload], f"profile of {payload!r}")
    client.force_login(world.authors[0])
    assert_safe(get(client, reverse("members:settings")), "profile settings")


def drain(client, url, world, stage):
    """Show every idea on a capped page: check what it shows, move those off it, again."""
    seen, parking = "", Stage.objects.get(slug="new")
    for _round in range(len(PAYLOADS)):
        html = pages(client, url)
        assert_safe(html, url)
        seen += html
        shown = [idea.pk for idea in world.ideas if idea.get_absolute_url() in html]
        left = Idea.objects.filter(stage__slug=stage, pk__in=[i.pk for i in world.ideas])
        if not shown or not left.exists():
            break
        Idea.objects.filter(pk__in=shown).update(stage=parking)
    return seen


def check_roadmap_shows_the_corpus_as_text(client, world):
    Idea.objects.filter(pk__in=[i.pk for i in world.ideas]).update(
        stage=Stage.objects.get(slug="planned")
    )
    home, _index = site_tree()
    page = home.add_child(instance=RoadmapPage(title="Roadmap", slug="roadmap"))
    assert_reached(drain(client, page.url, world, "planned"), PAYLOADS, "roadmap")


def check_changelog_shows_the_corpus_as_text(client, world):
    Idea.objects.filter(pk__in=[i.pk for i in world.ideas]).update(
        stage=Stage.objects.get(slug="shipped"), response="Shipped today."
    )
    home, _index = site_tree()
    page = home.add_child(instance=ChangelogPage(title="Changelog", slug="changelog"))
    assert_reached(drain(client, page.url, world, "shipped"), PAYLOADS, "changelog")


def test_every_public_page_shows_the_corpus_as_text(client):
    """One world for the group: each page, then the capped ones (roadmap, changelog)."""
    world = build_world()
    check_campaign_idea_lists_show_the_corpus_as_text(client, world)
    check_filters_and_queries_echoed_by_the_idea_list_stay_text(client, world)
    check_idea_pages_show_title_description_tags_comments_and_author_as_text(client, world)
    check_submit_form_and_similar_ideas_keep_the_corpus_as_text(client, world)
    client.logout()
    check_site_search_shows_results_and_the_query_as_text(client, world)
    check_member_profiles_show_names_ideas_and_comments_as_text(client, world)
    client.logout()
    check_roadmap_shows_the_corpus_as_text(client, world)
    check_changelog_shows_the_corpus_as_text(client, world)
