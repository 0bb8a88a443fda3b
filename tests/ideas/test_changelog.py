"""The changelog: shipped public ideas by month of shipping, newest first, with the note."""

from datetime import datetime

import pytest
from django.utils import timezone

from ideas import selectors
from ideas.models import ChangelogPage, Idea
from ideas.services import idea_move
from tests.factories import IdeaFactory, site_tree
from tests.ideas.test_roadmap import on_stage, stage, team_member

pytestmark = pytest.mark.django_db


def changelog_page():
    home, _index = site_tree()
    page = ChangelogPage.objects.first()
    if page is None:
        page = home.add_child(instance=ChangelogPage(title="Changelog", slug="changelog"))
    return page


def shipped(title, when, note="", **fields):
    idea = on_stage("shipped", title=title, response=note, **fields)
    Idea.objects.filter(pk=idea.pk).update(stage_changed_at=when)
    return idea


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 12))


def test_shipping_an_idea_puts_it_on_the_changelog_with_its_note(client):
    changelog_page()
    # Ideas ship from “In progress” (or “Planned”) in the default pipeline.
    idea = IdeaFactory(title="Round up card purchases", stage=stage("in-progress"))
    idea_move(idea=idea, to_stage=stage("shipped"), actor=team_member(), note="Live for everyone.")
    response = client.get("/changelog/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{idea.campaign.url}ideas/{idea.pk}/"' in html
    assert "Round up card purchases" in html
    assert "Live for everyone." in html
    month = timezone.localtime(timezone.now()).strftime("%Y-%m")
    assert f'<time datetime="{month}">' in html


def test_changelog_groups_by_month_newest_first(client):
    changelog_page()
    shipped("Shipped in January idea", at(2025, 1))
    shipped("Shipped in March idea", at(2025, 3))
    shipped("Also shipped in March", at(2025, 3, 20))
    html = client.get("/changelog/").content.decode()
    march, january = html.index('datetime="2025-03"'), html.index('datetime="2025-01"')
    assert march < january
    assert html.index("Also shipped in March") < html.index("Shipped in March idea") < january
    assert html.count('datetime="2025-03"') == 1  # one heading per month


def test_changelog_leaves_out_unshipped_and_non_public_ideas(client):
    changelog_page()
    shipped("A public shipped idea", at(2025, 2))
    on_stage("planned", title="A planned idea only")
    shipped("A pending shipped idea", at(2025, 2), status=Idea.Status.PENDING)
    shipped("A withdrawn shipped idea", at(2025, 2), status=Idea.Status.WITHDRAWN)
    html = client.get("/changelog/").content.decode()
    assert "A public shipped idea" in html
    for hidden in ("A planned idea only", "A pending shipped idea", "A withdrawn shipped idea"):
        assert hidden not in html


def test_changelog_is_paginated(client):
    changelog_page()
    for n in range(selectors.CHANGELOG_PER_PAGE + 3):
        shipped(f"Shipped idea number {n:03d}", at(2024, 1 + n % 12, 1 + n % 27))
    first = client.get("/changelog/").content.decode()
    second = client.get("/changelog/", {"page": 2}).content.decode()
    assert first.count('class="card changelog-entry"') == selectors.CHANGELOG_PER_PAGE
    assert second.count('class="card changelog-entry"') == 3
    assert 'rel="next"' in first


def test_changelog_head_offers_its_feeds(client):
    changelog_page()
    html = client.get("/changelog/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feeds/changelog/"' in html and 'href="/feeds/changelog/atom/"' in html


def test_the_intro_replaces_the_built_in_sentence_and_the_links_stay(client):
    sentence = "Ideas from the community that have shipped, newest first."
    page = changelog_page()
    html = client.get("/changelog/").content.decode()
    assert sentence in html and "See the roadmap" in html
    page.intro = "<p>Now live in the app.</p>"
    page.save_revision().publish()
    html = client.get("/changelog/").content.decode()
    assert "Now live in the app." in html and sentence not in html
    assert "See the roadmap" in html and "Subscribe (RSS)" in html
