"""Levels from the thresholds, the ambassador mark next to names, badges on the profile."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reputation.models import MemberPoints, ReputationSettings
from reputation.selectors import badges_for, level_for, longest_streak
from reputation.services import levels_refresh
from tests.factories import IdeaFactory, UserFactory, comment_on

pytestmark = pytest.mark.django_db

D = ReputationSettings()


def with_points(member, points):
    MemberPoints.objects.update_or_create(member=member, defaults={"points": points})
    levels_refresh(member_ids=[member.pk])
    member.refresh_from_db()
    return member


def test_levels_follow_the_thresholds():
    thresholds = [0, 10, 20, 30, 40]
    assert [level_for(p, thresholds) for p in (0, 9, 10, 25, 39, 40, 1000)] == [1, 1, 2, 3, 4, 5, 5]


def test_the_top_level_makes_an_ambassador(member):
    assert with_points(member, D.level_5).reputation_level == 5
    assert with_points(member, D.level_5 - 1).reputation_level == 4
    assert with_points(member, 0).reputation_level == 0


def test_new_thresholds_move_every_level(member):
    from wagtail.models import Site

    from tests.factories import site_tree

    site_tree()
    with_points(member, 30)
    assert member.reputation_level == 2
    ReputationSettings.objects.create(site=Site.objects.get(is_default_site=True), level_2=50)
    member.refresh_from_db()
    assert member.reputation_level == 1


def test_names_on_the_idea_page_show_level_and_ambassador_mark(client):
    author = with_points(UserFactory(), D.level_2)
    commenter = with_points(UserFactory(), D.level_5)
    idea = IdeaFactory(author=author)
    comment_on(idea, commenter)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Level 2 · Contributor" in html
    assert "Ambassador" in html


def test_idea_cards_show_the_authors_level(client):
    idea = IdeaFactory(author=with_points(UserFactory(), D.level_3))
    html = client.get(idea.campaign.url).content.decode()
    assert "Level 3 · Regular" in html


def test_members_without_points_show_no_mark(client):
    idea = IdeaFactory()
    assert "badge--level" not in client.get(idea.get_absolute_url()).content.decode()


def test_the_profile_shows_level_points_and_badges(client, member):
    from reputation.services import points_sync_ideas

    ideas = [IdeaFactory(author=member) for _ in range(10)]
    points_sync_ideas(ideas=ideas)
    html = client.get(member.get_absolute_url()).content.decode()
    assert "First idea" in html and "Ten ideas" in html
    assert f"{10 * D.idea_published + D.first_idea} points" in html


def test_a_thirty_day_streak_earns_its_badge(member):
    today = timezone.now()
    for days_ago in range(30):
        IdeaFactory(author=member, created_at=today - timedelta(days=days_ago))
    assert "streak" in {b.slug for b in badges_for(member)}


def test_a_broken_streak_is_counted_from_the_gap():
    day = timezone.now().date()
    days = [day - timedelta(days=n) for n in (0, 1, 2, 4, 5)]
    assert longest_streak(days) == 3
