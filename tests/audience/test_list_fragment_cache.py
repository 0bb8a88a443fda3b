"""The idea list's cached parts (ideas/templatetags/idea_cards.py: card bodies, vote buttons, the
filter form) never show one viewer's state to another, never show a restricted idea outside its
audience, and never go stale: every test views the list first, so what it checks next would come
from the caches if they kept the wrong thing."""

import re

import pytest
from django.test import Client

from campaigns.models import Category
from ideas.models import Idea, Stage
from tests.factories import IdeaFactory, UserFactory, make_campaign
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def vote_widget(html, idea):
    start = html.index(f'id="vote-{idea.pk}"')
    return html[start : html.index("</form>", start)]


def card(html, idea):
    start = html.rindex('<article class="card idea-card">', 0, html.index(f">{idea.title}</a>"))
    return html[start : html.index("</article>", start)]


def test_a_viewers_vote_never_shows_on_anothers_list_in_either_order():
    campaign = make_campaign()
    idea = IdeaFactory(campaign=campaign, title="Round-up savings")
    voter, other = UserFactory(), UserFactory()
    vote_cast(idea=idea, member=voter)
    clients = {"voter": signed_in(voter), "other": signed_in(other), "anonymous": Client()}

    for order in (["voter", "other", "anonymous"], ["anonymous", "other", "voter"]):
        for who in order * 2:
            widget = vote_widget(clients[who].get(campaign.url).content.decode(), idea)
            pressed = 'aria-pressed="true"' in widget
            assert pressed is (who == "voter"), who
            assert ("Voted" in widget) is (who == "voter"), who


def test_each_page_carries_its_own_csrf_token_and_a_vote_from_it_is_accepted():
    campaign = make_campaign()
    idea = IdeaFactory(campaign=campaign)
    member = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(campaign.url)  # fills the caches
    html = client.get(campaign.url).content.decode()

    assert "csrf-placeholder" not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', vote_widget(html, idea))
    assert token and len(token.group(1)) == 64
    response = client.post(
        f"{campaign.url}ideas/{idea.pk}/vote/",
        {"action": "vote", "csrfmiddlewaretoken": token.group(1), "next": campaign.url},
    )
    assert response.status_code == 302
    assert 'aria-pressed="true"' in vote_widget(client.get(campaign.url).content.decode(), idea)
    other = signed_in(UserFactory())
    assert 'aria-pressed="false"' in vote_widget(other.get(campaign.url).content.decode(), idea)


def test_a_restricted_campaigns_cards_never_reach_a_member_outside_its_audience(world):
    insider, outsider = signed_in(world.insider), signed_in(world.outsider)
    for _ in range(2):
        assert world.idea.title in insider.get(world.campaign.url).content.decode()
    assert outsider.get(world.campaign.url).status_code == 404
    assert Client().get(world.campaign.url).status_code == 404
    # The public campaign's list, right after the insider's views: only its own cards.
    for client in (outsider, Client()):
        html = client.get(world.public_campaign.url).content.decode()
        assert world.public_idea.title in html and "Quokka" not in html


def test_a_card_shows_each_change_at_once():
    campaign = make_campaign()
    idea = IdeaFactory(campaign=campaign, title="Shared pots", description="Pool money.")
    client = signed_in(UserFactory())
    client.get(campaign.url)

    Idea.objects.filter(pk=idea.pk).update(title="Shared family pots")
    idea.title = "Shared family pots"
    assert "Shared family pots" in client.get(campaign.url).content.decode()

    Idea.objects.filter(pk=idea.pk).update(description="Pool money with the family.")
    assert "Pool money with the family." in card(client.get(campaign.url).content.decode(), idea)

    Idea.objects.filter(pk=idea.pk).update(comment_count=7)
    assert "7 comments" in card(client.get(campaign.url).content.decode(), idea)

    planned = Stage.objects.get(slug="planned")
    Idea.objects.filter(pk=idea.pk).update(stage=planned)
    assert planned.display_name in card(client.get(campaign.url).content.decode(), idea)

    category = Category.objects.filter(campaign_id=campaign.pk).first()
    Idea.objects.filter(pk=idea.pk).update(category=category)
    assert f'<span class="badge">{category.name}</span>' in card(
        client.get(campaign.url).content.decode(), idea
    )

    idea.author.display_name = "Renamed Author"
    idea.author.save(update_fields=["display_name"])
    assert "by Renamed Author" in card(client.get(campaign.url).content.decode(), idea)

    vote_cast(idea=Idea.objects.get(pk=idea.pk), member=UserFactory())
    widget = vote_widget(client.get(campaign.url).content.decode(), idea)
    assert '<span class="vote__count" aria-hidden="true">1</span>' in widget


def test_an_idea_taken_off_the_list_leaves_it_at_once():
    campaign = make_campaign()
    idea = IdeaFactory(campaign=campaign, title="Instant card freeze")
    client = signed_in(UserFactory())
    assert idea.title in client.get(campaign.url).content.decode()
    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.HIDDEN)
    assert idea.title not in client.get(campaign.url).content.decode()


def test_the_filter_form_shows_a_new_category_and_keeps_each_viewers_choice():
    campaign = make_campaign(categories=("Savings",))
    client = signed_in(UserFactory())
    html = client.get(campaign.url).content.decode()
    assert ">Savings</option>" in html and "Travel" not in html

    Category.objects.create(campaign=campaign, name="Travel", sort_order=5)
    html = client.get(campaign.url).content.decode()
    assert '<option value="travel">Travel</option>' in html

    chosen = client.get(f"{campaign.url}?category=travel").content.decode()
    assert '<option value="travel" selected>Travel</option>' in chosen
    plain = Client().get(campaign.url).content.decode()
    assert '<option value="travel">Travel</option>' in plain and 'travel" selected' not in plain


def test_the_filter_form_is_in_the_viewers_language():
    campaign = make_campaign()
    client = signed_in(UserFactory())
    assert "Sort by" in client.get(campaign.url).content.decode()
    spanish = client.get(f"/es{campaign.url}", follow=True).content.decode()
    assert "Sort by" not in spanish and "Ordenar" in spanish
