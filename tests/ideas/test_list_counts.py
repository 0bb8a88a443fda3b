"""The campaign's idea list says how many ideas it lists and how many pages: on PostgreSQL from
a count kept by triggers (ideas.models.CampaignIdeaCount), which stays exact through every way
an idea enters or leaves the list; filtered lists count what they show."""

import pytest
from django.db import connection
from django.db.models import Count

from ideas.models import CampaignIdeaCount, Idea, Stage
from ideas.selectors import campaign_ideas
from ideas.services import ideas_merge
from tests.factories import IdeaFactory, make_campaign, team_member

pytestmark = pytest.mark.django_db
postgres = pytest.mark.postgres


def shown(client, campaign, **params):
    page = client.get(campaign.url, params).context["ideas"]
    return page.paginator.count


def listed(campaign):
    return campaign_ideas(campaign).not_merged().count()


@postgres
def test_the_kept_count_follows_every_change(client):
    campaign, other = make_campaign(), make_campaign()
    ideas = [IdeaFactory(campaign=campaign) for _ in range(6)]
    Idea.objects.bulk_create(
        [
            Idea(
                campaign=campaign,
                title=f"Bulk idea {n}",
                description="x" * 30,
                stage=ideas[0].stage,
            )
            for n in range(3)
        ]
    )
    assert shown(client, campaign) == listed(campaign) == 9
    ideas[0].status = Idea.Status.HIDDEN
    ideas[0].save()
    ideas_merge(source=ideas[1], target=ideas[2], actor=team_member(), note="Same idea.")
    Idea.objects.filter(pk=ideas[3].pk).update(campaign=other)
    ideas[4].delete()
    assert shown(client, campaign) == listed(campaign) == 5
    assert shown(client, other) == listed(other) == 1
    # The page shows the number and the pages of what it lists.
    html = client.get(campaign.url).content.decode()
    assert "5 ideas" in html
    ideas[0].status = Idea.Status.PUBLISHED
    ideas[0].save()
    assert shown(client, campaign) == listed(campaign) == 6


@postgres
def test_a_stage_becoming_merged_recounts():
    campaign = make_campaign()
    idea = IdeaFactory(campaign=campaign)
    IdeaFactory(campaign=campaign)
    stage = idea.stage
    Stage.objects.filter(role=Stage.Role.MERGED).update(role="")
    Stage.objects.filter(pk=stage.pk).update(role=Stage.Role.MERGED)
    assert listed(campaign) == 0
    kept = CampaignIdeaCount.objects.filter(campaign=campaign, listed__gt=0)
    assert not kept.exists()


@postgres
def test_the_kept_counts_are_what_counting_gives():
    for _ in range(2):
        campaign = make_campaign()
        for n in range(4):
            idea = IdeaFactory(campaign=campaign)
            if n == 0:  # moved to the Merged stage without a target: out of the list
                Idea.objects.filter(pk=idea.pk).update(stage=Stage.for_role(Stage.Role.MERGED))
    counted = {
        (campaign, category or 0, stage): n
        for campaign, category, stage, n in Idea.objects.filter(
            status="published", merged_into__isnull=True
        )
        .exclude(stage__role=Stage.Role.MERGED)
        .values_list("campaign", "category", "stage")
        .annotate(n=Count("pk"))
    }
    kept = CampaignIdeaCount.objects.filter(listed__gt=0)
    assert {(c.campaign_id, c.category_id, c.stage_id): c.listed for c in kept} == counted


def test_filtered_lists_count_what_they_show(client):
    campaign = make_campaign()
    savings, security = campaign.categories.all()
    planned = Stage.objects.get(slug="planned")
    IdeaFactory(campaign=campaign, category=savings)
    IdeaFactory(campaign=campaign, category=savings, stage=planned).tags.add("widget")
    moved = IdeaFactory(campaign=campaign, category=security, stage=planned)
    IdeaFactory(campaign=campaign)
    assert shown(client, campaign, category=savings.slug) == 2
    assert shown(client, campaign, stage="planned") == 2
    assert shown(client, campaign, stage="planned", category=savings.slug) == 1
    assert shown(client, campaign, tag="widget") == 1
    assert shown(client, campaign) == 4
    assert shown(client, campaign, sort="random") == 4
    moved.category = savings
    moved.save()
    savings.delete()  # its ideas lose their category
    assert shown(client, campaign, stage="planned", category=security.slug) == 0
    assert shown(client, campaign, stage="planned") == 2
    assert shown(client, campaign) == 4


@postgres
def test_the_unfiltered_list_does_not_count(client):
    from django.test.utils import CaptureQueriesContext

    campaign = make_campaign()
    IdeaFactory(campaign=campaign)
    client.get(campaign.url)
    with CaptureQueriesContext(connection) as captured:
        client.get(campaign.url)
    assert not [q for q in captured if "COUNT(" in q["sql"].upper() and "ideas_idea" in q["sql"]]
