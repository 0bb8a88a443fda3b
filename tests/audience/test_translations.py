"""A restricted campaign's Spanish page is as private as the English one: same audience, same
view restrictions, in every channel (page, sub-routes, listings, search, sitemap), whatever the
translation's own fields say. Viewers: anonymous, outsider, insider (tests/audience/conftest)."""

import pytest
from wagtail.models import PageViewRestriction

from tests.audience.conftest import VIEWERS
from tests.factories import translate

pytestmark = pytest.mark.django_db

SPANISH_TITLE = "Campaña del quokka"


@pytest.fixture
def spanish(world):
    """The restricted campaign, translated after it was restricted; then an editor clears the
    translation's own audience field (it is hidden on translations, but the policy must not
    rely on that)."""
    with world.capture(execute=True):
        translation = translate(world.campaign, title=SPANISH_TITLE, slug="quokka-es")
        translation.audience.set([])
        translation.save_revision().publish()
    return translation


def _login(client, world, viewer):
    user = world.user(viewer)
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_spanish_page_and_its_ideas_are_hidden_like_the_english_ones(
    client, world, spanish, viewer
):
    _login(client, world, viewer)
    visible = viewer == "insider"
    expected = 200 if visible else 404
    assert client.get(spanish.url).status_code == expected
    assert client.get(f"{spanish.url}ideas/{world.idea.pk}/").status_code == expected
    # Listings in Spanish: the home page and the campaign index.
    assert (SPANISH_TITLE in client.get("/es/").content.decode()) is visible
    assert (SPANISH_TITLE in client.get("/es/campaigns/").content.decode()) is visible
    # Search in Spanish.
    found = client.get("/es/search/", {"q": "quokka"}).context["pages"]
    assert (spanish.pk in [page.pk for page in found]) is visible
    # The public twin is listed for everyone (the channel works).
    assert world.public_campaign.title in client.get("/es/").content.decode()


def test_the_spanish_page_is_not_in_the_sitemap(client, world, spanish):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/es/campaigns/quokka-es/" not in xml
    assert "/es/campaigns/" in xml  # the Spanish tree is listed


def test_lifting_the_english_audience_opens_the_spanish_page(client, world, spanish):
    world.unrestrict()
    assert client.get(spanish.url).status_code == 200


def test_a_view_restriction_on_the_source_applies_to_its_translation(client, world, spanish):
    world.set_audience([world.public_campaign], [])
    public_es = translate(world.public_campaign, title="Campaña del wombat", slug="wombat-es")
    assert client.get(public_es.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=world.public_campaign, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(public_es.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert "Campaña del wombat" not in client.get("/es/").content.decode()
    restriction.delete()
    assert client.get(public_es.url).status_code == 200
    assert "Campaña del wombat" in client.get("/es/").content.decode()


def test_a_translation_made_after_the_restriction_is_restricted_at_once(client, world):
    restriction = PageViewRestriction.objects.create(
        page=world.public_campaign, restriction_type=PageViewRestriction.LOGIN
    )
    assert restriction.pk
    public_es = translate(world.public_campaign, title="Campaña del wombat", slug="wombat-es")
    assert client.get(public_es.url).status_code == 302
