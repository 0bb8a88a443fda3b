"""A campaign in Spanish: its own title, summary and intro at /es/, and everything members made
(ideas, votes) and everything the rules say (categories, phases, budget) shared with the
English campaign it translates."""

import pytest
from django.utils import translation

from campaigns.models import CampaignPage
from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory, make_campaign, site_tree, translate
from voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = make_campaign(
        title="How should our app help you save?",
        slug="savings",
        summary="Saving made effortless.",
        categories=("Budgeting", "Security"),
        vote_budget=2,
    )
    for category, spanish in zip(
        campaign.categories.all(), ("Presupuesto", "Seguridad"), strict=True
    ):
        category.name_translations = {"es": spanish}
        category.save()
    return campaign


@pytest.fixture
def spanish(campaign):
    return translate(
        campaign,
        title="¿Cómo debería ayudarte a ahorrar nuestra app?",
        slug="ahorro",
        summary="Ahorrar sin esfuerzo.",
        intro=[("paragraph", "<p>Envía tu idea y vota las que te gusten.</p>")],
    )


@pytest.fixture
def idea(campaign):
    return IdeaFactory(
        campaign=campaign,
        title="Round up card purchases",
        category=campaign.categories.get(name="Budgeting"),
    )


def test_the_spanish_page_is_served_at_es_in_spanish(client, spanish, idea):
    assert spanish.url == "/es/campaigns/ahorro/"
    response = client.get(spanish.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "¿Cómo debería ayudarte a ahorrar nuestra app?" in html
    assert "Envía tu idea y vota las que te gusten." in html
    assert "How should our app help you save?" not in html


def test_the_spanish_page_lists_the_english_campaign_s_ideas(client, campaign, spanish, idea):
    english = client.get("/campaigns/savings/").content.decode()
    in_spanish = client.get(spanish.url).content.decode()
    assert "Round up card purchases" in english
    assert "Round up card purchases" in in_spanish  # members' content, not translated
    # The cards link to the idea's page under the Spanish campaign.
    assert f'href="/es/campaigns/ahorro/ideas/{idea.pk}/"' in in_spanish


def test_categories_show_in_the_reader_s_language(client, spanish, idea):
    html = client.get(spanish.url).content.decode()
    assert "Presupuesto" in html and "Seguridad" in html
    assert ">Budgeting<" not in html
    with translation.override("en"):
        assert str(idea.category) == "Budgeting"
    with translation.override("es"):
        assert str(idea.category) == "Presupuesto"


def test_filtering_by_category_on_the_spanish_page(client, campaign, spanish, idea):
    IdeaFactory(
        campaign=campaign,
        title="Two-factor sign-in",
        category=campaign.categories.get(name="Security"),
    )
    html = client.get(spanish.url, {"category": idea.category.slug}).content.decode()
    assert "Round up card purchases" in html
    assert "Two-factor sign-in" not in html


def test_translating_copies_no_categories(campaign, spanish):
    assert spanish.categories.count() == 0
    assert [c.pk for c in spanish.category_list] == [c.pk for c in campaign.categories.all()]


def test_the_idea_page_opens_from_the_spanish_campaign(client, spanish, idea):
    response = client.get(f"{spanish.url}ideas/{idea.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Round up card purchases" in html
    assert "Presupuesto" in html


def test_an_idea_of_another_campaign_is_not_found_under_the_spanish_page(client, spanish):
    other = IdeaFactory(campaign=make_campaign(), title="Elsewhere")
    assert client.get(f"{spanish.url}ideas/{other.pk}/").status_code == 404


def test_voting_from_the_spanish_page_counts_for_the_campaign(client, campaign, spanish, idea):
    member = UserFactory()
    client.force_login(member)
    response = client.post(f"{spanish.url}ideas/{idea.pk}/vote/", {"action": "vote"})
    assert response.status_code == 302
    assert response["Location"] == f"/es/campaigns/ahorro/ideas/{idea.pk}/"
    vote = Vote.objects.get(member=member)
    assert vote.idea_id == idea.pk and vote.campaign_id == campaign.pk
    idea.refresh_from_db()
    assert idea.vote_count == 1
    # The budget is the campaign's, in both languages: one of two votes used.
    english = client.get("/campaigns/savings/")
    assert english.context["votes_left"] == 1
    assert client.get(spanish.url).context["votes_left"] == 1


def test_the_spanish_vote_button_posts_in_spanish_and_comes_back_to_the_spanish_page(
    client, campaign, spanish, idea
):
    member = UserFactory()
    client.force_login(member)
    html = client.get(f"{spanish.url}ideas/{idea.pk}/").content.decode()
    assert f'hx-post="/es/votes/{idea.pk}/"' in html
    response = client.post(f"/es/votes/{idea.pk}/", {"action": "vote"})
    assert response["Location"] == f"/es/campaigns/ahorro/ideas/{idea.pk}/"
    assert Vote.objects.get(member=member).campaign_id == campaign.pk
    answer = client.post(
        f"/es/votes/{idea.pk}/", {"action": "unvote", "next": spanish.url}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'hx-post="/es/votes/{idea.pk}/"' in answer and "Votar" in answer
    assert f'name="next" value="{spanish.url}"' in answer
    assert not Vote.objects.filter(member=member).exists()


def test_an_idea_submitted_from_the_spanish_page_belongs_to_the_campaign(client, campaign, spanish):
    client.force_login(UserFactory())
    response = client.post(
        f"{spanish.url}submit/",
        {
            "title": "Pausar el redondeo en verano",
            "description": "Quiero poder pausar el redondeo durante las vacaciones de verano.",
            "category": campaign.categories.get(name="Budgeting").pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    idea = Idea.objects.get(title="Pausar el redondeo en verano")
    assert idea.campaign_id == campaign.pk
    assert response["Location"] == f"/es/campaigns/ahorro/ideas/{idea.pk}/"


def test_the_rules_are_the_source_s_in_every_language(campaign, spanish):
    campaign.vote_budget = 7
    campaign.save_revision().publish()
    spanish.refresh_from_db()
    assert spanish.vote_budget == 7
    # Saving the translation with other rules keeps the source's.
    spanish.vote_budget = 1
    spanish.voting_closes_at = None
    spanish.save_revision().publish()
    spanish.refresh_from_db()
    assert spanish.vote_budget == 7
    assert spanish.voting_closes_at == campaign.voting_closes_at


def test_source_resolves_from_either_language(campaign, spanish):
    assert campaign.source.pk == campaign.pk and campaign.is_source
    assert CampaignPage.objects.get(pk=spanish.pk).source.pk == campaign.pk
    assert not spanish.is_source


def test_listings_show_each_campaign_once_in_the_reader_s_language(client, campaign, spanish):
    untranslated = make_campaign(title="The branch of the future", slug="branch")
    home, index = site_tree()
    spanish_home = home.get_translation(spanish.locale)
    at_es = client.get(spanish_home.url).content.decode()
    assert "¿Cómo debería ayudarte a ahorrar nuestra app?" in at_es
    assert "How should our app help you save?" not in at_es
    assert untranslated.title in at_es  # not translated yet: the English page, at /es/ too
    # …linked under /es/, so the reader stays in Spanish, and served there.
    assert 'href="/es/campaigns/branch/"' in at_es
    response = client.get("/es/campaigns/branch/")
    assert response.status_code == 200 and response.context["LANGUAGE_CODE"] == "es"
    at_en = client.get("/").content.decode()
    assert "How should our app help you save?" in at_en
    assert "¿Cómo debería ayudarte" not in at_en
    index_es = client.get(index.get_translation(spanish.locale).url).content.decode()
    assert index_es.count("¿Cómo debería ayudarte a ahorrar nuestra app?") >= 1
    assert "How should our app help you save?" not in index_es
    assert untranslated.title in index_es


def test_search_in_spanish_finds_the_spanish_page_not_its_english_twin(client, campaign, spanish):
    found = client.get("/es/search/", {"q": "ahorrar"}).context["pages"]
    assert [p.pk for p in found if isinstance(p, CampaignPage)] == [spanish.pk]
    found_en = client.get("/search/", {"q": "save"}).context["pages"]
    assert [p.pk for p in found_en if isinstance(p, CampaignPage)] == [campaign.pk]


def test_the_sitemap_lists_each_language_s_page_once(client, campaign, spanish):
    xml = client.get("/sitemap.xml").content.decode()
    assert xml.count("/campaigns/savings/</loc>") == 1
    assert xml.count("/es/campaigns/ahorro/</loc>") == 1


def test_the_spanish_roadmap_links_to_the_spanish_campaign(client, campaign, spanish, idea):
    from ideas.models import RoadmapPage, Stage

    home, _index = site_tree()
    roadmap = home.add_child(instance=RoadmapPage(title="Roadmap", slug="roadmap"))
    roadmap.save_revision().publish()
    Idea.objects.filter(pk=idea.pk).update(stage=Stage.objects.get(slug="planned"))
    spanish_roadmap = translate(roadmap, title="Hoja de ruta")
    html = client.get(spanish_roadmap.url).content.decode()
    assert "Hoja de ruta" in html
    assert f"/es/campaigns/ahorro/ideas/{idea.pk}/" in html
    assert "Presupuesto" in html and "Planificada" in html
    assert "¿Cómo debería ayudarte a ahorrar nuestra app?" in html  # the card names it in Spanish
    english = client.get("/roadmap/").content.decode()
    assert f'"/campaigns/savings/ideas/{idea.pk}/"' in english
    assert "¿Cómo debería ayudarte" not in english
