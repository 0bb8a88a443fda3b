"""Which events reach which endpoints, and what the payload holds."""

import logging

import pytest
from wagtail.models import PageViewRestriction

from ideas.models import Event, Idea, Stage
from ideas.services import idea_move, ideas_merge
from integrations.models import WebhookDelivery
from integrations.webhooks import build_payload, event_fan_out
from tests.factories import IdeaFactory
from tests.ideas.test_discussion import add_comment
from tests.integrations.helpers import endpoint

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/never-called"


@pytest.fixture(autouse=True)
def no_sending(monkeypatch):
    """Only fan-out here: queued deliveries are recorded, not sent."""
    queued = []
    monkeypatch.setattr(
        "integrations.webhooks.queue_delivery",
        lambda pk, countdown=None: queued.append(pk) or True,
    )
    return queued


def latest_event(idea, kind):
    return Event.objects.filter(idea=idea, kind=kind).latest("pk")


def test_only_active_endpoints_subscribed_to_the_event_get_a_delivery(
    campaign, team_member, django_capture_on_commit_callbacks, no_sending
):
    moves = endpoint(URL, events=["idea.stage_changed"])
    both = endpoint(URL, events=["idea.created", "idea.stage_changed"])
    endpoint(URL, events=["idea.created"])
    endpoint(URL, events=["idea.stage_changed"], is_active=False)
    idea = IdeaFactory(campaign=campaign)
    idea_move(idea=idea, to_stage=Stage.objects.get(slug="planned"), actor=team_member)
    event = latest_event(idea, "idea.stage_changed")
    with django_capture_on_commit_callbacks(execute=True):
        assert event_fan_out(event) == 2
    deliveries = WebhookDelivery.objects.filter(event=event)
    assert {d.endpoint_id for d in deliveries} == {moves.pk, both.pk}
    assert sorted(no_sending) == sorted(d.pk for d in deliveries)
    assert event_fan_out(event) == 0  # a second run (redelivered message) adds nothing


def test_an_official_response_goes_out_as_a_stage_change(campaign, team_member):
    endpoint(URL)
    idea = IdeaFactory(campaign=campaign)
    idea_move(idea=idea, to_stage=idea.stage, actor=team_member, note="We are looking at it.")
    event = latest_event(idea, "idea.response")
    assert event_fan_out(event) == 1
    payload = build_payload(event)
    assert payload["event"] == "idea.stage_changed"
    assert payload["stage_change"]["from"] == payload["stage_change"]["to"]
    assert payload["stage_change"]["is_response"] is True
    assert payload["stage_change"]["note"] == "We are looking at it."


@pytest.mark.parametrize("status", ["pending", "withdrawn", "rejected"])
def test_events_about_ideas_that_are_not_public_are_not_sent(campaign, status):
    endpoint(URL, events=["idea.created", "comment.created"])
    idea = IdeaFactory(campaign=campaign, status=status)
    event = Event.objects.create(kind="idea.created", idea=idea)
    assert event_fan_out(event) == 0
    assert not WebhookDelivery.objects.exists()


def test_events_of_restricted_campaigns_are_not_sent(campaign):
    endpoint(URL, events=["idea.created"])
    idea = IdeaFactory(campaign=campaign)
    PageViewRestriction.objects.create(page=campaign, restriction_type=PageViewRestriction.LOGIN)
    event = Event.objects.create(kind="idea.created", idea=idea)
    assert event_fan_out(event) == 0


def test_merge_payload_names_the_target(campaign, team_member):
    endpoint(URL, events=["idea.merged"])
    source, target = IdeaFactory(campaign=campaign), IdeaFactory(campaign=campaign)
    ideas_merge(source=source, target=target, actor=team_member, note="Same idea.")
    event = latest_event(source, "idea.merged")
    assert event_fan_out(event) == 1
    payload = build_payload(event)
    assert payload["event"] == "idea.merged"
    assert payload["idea"]["stage"]["slug"] == "merged"
    assert payload["target"]["id"] == target.pk
    assert payload["target"]["url"].endswith(f"/ideas/{target.pk}/")
    assert payload["stage_change"]["note"] == "Same idea."


def test_comment_payload_has_the_comment_link_and_an_excerpt(campaign, member):
    endpoint(URL, events=["comment.created"])
    idea = IdeaFactory(campaign=campaign)
    comment = add_comment(idea, member, text="I would   use this " + "every day " * 40)
    event = latest_event(idea, "comment.created")
    assert event_fan_out(event) == 1
    payload = build_payload(event)
    assert payload["comment"]["id"] == comment.pk
    assert payload["comment"]["url"] == (
        f"http://testserver{campaign.url}ideas/{idea.pk}/#c{comment.pk}"
    )
    assert payload["comment"]["excerpt"].startswith("I would use this every day")
    assert len(payload["comment"]["excerpt"]) <= 200
    assert "author" not in payload["comment"]


def test_idea_created_is_sent_for_published_ideas(campaign, member):
    from ideas.services import idea_submit

    endpoint(URL, events=["idea.created"])
    idea = idea_submit(
        campaign=campaign,
        author=member,
        data={"title": "Split the bill with friends", "description": "x" * 40},
    )
    event = latest_event(idea, "idea.created")
    assert event_fan_out(event) == 1
    assert build_payload(event)["idea"]["title"] == "Split the bill with friends"
    assert Idea.objects.get(pk=idea.pk).status == "published"


def test_a_broker_failure_never_fails_the_fan_out(
    campaign, team_member, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    import integrations.webhooks as webhooks
    from core.tasks import deliver

    monkeypatch.undo()  # the real queue_delivery, with a broker that is down

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(deliver, "apply_async", broker_down)
    endpoint(URL)
    idea = IdeaFactory(campaign=campaign)
    idea_move(idea=idea, to_stage=Stage.objects.get(slug="planned"), actor=team_member)
    event = latest_event(idea, "idea.stage_changed")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        assert webhooks.event_fan_out(event) == 1
    assert "left for the sweep" in caplog.text
    assert WebhookDelivery.objects.get(event=event).status == "pending"
