"""The header's language switcher goes to the page's translation when it has one (even with
another slug), keeps the sub-route (an idea under the campaign), and otherwise to the same
address in the other language."""

import pytest

from tests.factories import IdeaFactory, make_campaign, translate

pytestmark = pytest.mark.django_db


def switch(client, next_path, to, shown_in):
    return client.post(
        "/i18n/setlang/", {"next": next_path, "language": to, "from_language": shown_in}
    )


@pytest.fixture
def campaign():
    return make_campaign(title="Savings", slug="savings")


@pytest.fixture
def spanish(campaign):
    return translate(campaign, title="Ahorro", slug="ahorro")


def test_to_the_spanish_translation_with_its_own_slug(client, campaign, spanish):
    response = switch(client, "/campaigns/savings/", "es", "en")
    assert response.status_code == 302
    assert response["Location"] == "/es/campaigns/ahorro/"
    assert client.cookies["django_language"].value == "es"


def test_an_idea_stays_an_idea_and_the_query_string_stays(client, campaign, spanish):
    idea = IdeaFactory(campaign=campaign)
    response = switch(client, f"/campaigns/savings/ideas/{idea.pk}/?comments=2", "es", "en")
    assert response["Location"] == f"/es/campaigns/ahorro/ideas/{idea.pk}/?comments=2"


def test_back_to_english(client, campaign, spanish):
    # The form shown at /es/campaigns/ahorro/ sends the path without its prefix.
    response = switch(client, "/campaigns/ahorro/", "en", "es")
    assert response["Location"] == "/campaigns/savings/"


def test_a_page_without_translation_keeps_its_address_in_the_other_language(client, campaign):
    response = switch(client, "/campaigns/savings/", "es", "en")
    assert response["Location"] == "/es/campaigns/savings/"
    assert client.get(response["Location"]).status_code == 200


def test_a_draft_translation_is_not_offered(client, campaign, spanish):
    spanish.unpublish()
    response = switch(client, "/campaigns/savings/", "es", "en")
    assert response["Location"] == "/es/campaigns/savings/"


def test_a_path_that_is_not_a_page_is_left_to_django(client):
    response = switch(client, "/notifications/", "es", "en")
    assert response["Location"] == "/es/notifications/"


def test_another_site_is_never_the_target(client, campaign, spanish):
    response = switch(client, "https://evil.example/campaigns/savings/", "es", "en")
    assert "evil.example" not in response["Location"]


def test_an_untranslated_page_in_a_translated_site_is_still_served_at_es(client, campaign):
    from tests.factories import site_tree

    home, index = site_tree()
    translate(index, title="Campañas")  # the Spanish tree exists, this campaign is not in it
    response = switch(client, "/campaigns/savings/", "es", "en")
    assert response["Location"] == "/es/campaigns/savings/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Savings" in page.content.decode()
    assert page.context["LANGUAGE_CODE"] == "es"
    assert client.get("/es/campaigns/no-such-campaign/").status_code == 404
