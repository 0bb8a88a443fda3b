"""The audience answers are cached (per audience generation), and a change of who-sees-what
reaches the very next request: restricting a page, changing a segment's members."""

import pytest
from django.contrib.auth.models import AnonymousUser

from members.models import User
from segments.audience import cache_key_part, hidden_page_ids, page_audiences
from segments.services import segment_refresh

pytestmark = pytest.mark.django_db


def test_restricting_a_page_is_a_404_for_an_anonymous_visitor_at_once(client, world):
    world.unrestrict()
    page = world.page
    assert client.get(page.url).status_code == 200  # the cache is warm now
    assert page.title in client.get("/search/", {"q": "quokka"}).content.decode()
    assert page.pk not in page_audiences()

    world.set_audience([page], [world.segment])  # the editor publishes an audience

    assert client.get(page.url).status_code == 404
    assert page.title not in client.get("/search/", {"q": "quokka"}).content.decode()
    assert page.url not in client.get("/sitemap.xml").content.decode()


def test_lifting_the_audience_shows_the_page_again_at_once(client, world):
    assert client.get(world.campaign.url).status_code == 404  # warm, restricted
    world.unrestrict()
    assert client.get(world.campaign.url).status_code == 200
    assert world.campaign.title in client.get("/").content.decode()


def test_leaving_the_segment_hides_the_page_at_once(client, world):
    client.force_login(world.insider)
    assert client.get(world.campaign.url).status_code == 200  # warm, inside
    with world.capture(execute=True):
        world.segment.include.remove(world.insider)
        segment_refresh(world.segment)
    assert client.get(world.campaign.url).status_code == 404


def test_warm_answers_cost_no_query(world, django_assert_num_queries):
    hidden_page_ids(User.objects.get(pk=world.insider.pk))  # warm
    hidden_page_ids(AnonymousUser())
    # A new user object, as on each request: its segments come from the cache.
    insider = User.objects.get(pk=world.insider.pk)
    with django_assert_num_queries(0):
        assert world.page.pk in hidden_page_ids(AnonymousUser())
        assert world.page.pk not in hidden_page_ids(insider)


def test_cache_keys_vary_by_what_the_policy_varies_on(world):
    insider, outsider = world.insider, world.outsider
    staff = User(is_staff=True)
    parts = {cache_key_part(u) for u in (AnonymousUser(), outsider, insider, staff)}
    assert len(parts) == 3  # anonymous and outsider (no segment) are alike; staff differ
    assert cache_key_part(AnonymousUser()) == cache_key_part(outsider)
    assert cache_key_part(insider) != cache_key_part(outsider)
