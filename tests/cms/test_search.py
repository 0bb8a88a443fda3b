import pytest
from wagtail.models import PageViewRestriction

from tests.factories import IdeaFactory, make_campaign

pytestmark = pytest.mark.django_db


def test_search_finds_public_ideas_and_pages(client):
    campaign = make_campaign(title="Mobile banking week")
    IdeaFactory(campaign=campaign, title="Freeze the card from the lock screen")
    html = client.get("/search/", {"q": "freeze"}).content.decode()
    assert "Freeze the card from the lock screen" in html
    assert "Mobile banking week" in client.get("/search/", {"q": "banking"}).content.decode()


def test_search_never_shows_pending_or_withdrawn_ideas(client):
    IdeaFactory(title="Secret pending freeze idea", status="pending")
    IdeaFactory(title="Withdrawn freeze idea", status="withdrawn")
    html = client.get("/search/", {"q": "freeze"}).content.decode()
    assert "Secret pending" not in html and "Withdrawn freeze" not in html


def test_search_hides_ideas_and_pages_behind_view_restrictions(client):
    campaign = make_campaign(title="Private restricted campaign")
    IdeaFactory(campaign=campaign, title="Restricted freeze idea")
    PageViewRestriction.objects.create(page=campaign, restriction_type="login")
    assert "Restricted freeze idea" not in client.get("/search/", {"q": "freeze"}).content.decode()
    assert "Private restricted" not in client.get("/search/", {"q": "restricted"}).content.decode()


def test_overlong_queries_get_a_message(client):
    response = client.get("/search/", {"q": "x" * 500})
    assert response.status_code == 200 and "at most 200 characters" in response.content.decode()
