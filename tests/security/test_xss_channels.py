"""What leaves the site besides its pages carries members' text safely: notification centre and
e-mails (HTML escaped; the text part may say it as typed), RSS/Atom feeds (descriptions are
HTML to a feed reader), the API's browsable HTML and the webhook/Slack payloads."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ideas.models import ChangelogPage, Event, Idea, Stage
from ideas.services import follow, idea_move, ideas_merge
from integrations.webhooks import build_payload, slack_message
from notifications.models import Frequency, NotificationKind, NotificationPreference
from tests.factories import UserFactory, site_tree, team_member

from .checks import assert_reached, assert_safe, marker_of
from .conftest import build_world, write_comments
from .xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_notification_centre_and_e_mails_show_the_corpus_safely(
    client, django_capture_on_commit_callbacks
):
    world = build_world(comments=False)
    watcher = UserFactory()
    for kind in NotificationKind.values:
        NotificationPreference.objects.create(
            member=watcher, kind=kind, frequency=Frequency.IMMEDIATE
        )
    for idea in world.ideas:
        follow(member=watcher, idea=idea)
    write_comments(world, django_capture_on_commit_callbacks)
    team = team_member()
    planned = Stage.objects.get(slug="planned")
    for payload, idea in list(world.pairs())[::4]:
        # The team's public note is shown next to members' text: escaped the same way.
        with django_capture_on_commit_callbacks(execute=True):
            idea_move(idea=idea, to_stage=planned, actor=team, note=payload)
    with django_capture_on_commit_callbacks(execute=True):
        ideas_merge(source=world.ideas[2], target=world.ideas[0], actor=team, note=PAYLOADS[2])

    assert len(mail.outbox) >= len(PAYLOADS)
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert_safe(html, f"e-mail {message.subject!r}")
        assert "\n" not in message.subject and "\r" not in message.subject
    assert_reached("".join(m.alternatives[0][0] for m in mail.outbox), PAYLOADS, "e-mail HTML")
    # The text part is plain text: the payload is simply there, as typed.
    text = "".join(m.body for m in mail.outbox)
    assert all(payload.strip()[:20] in text for payload in PAYLOADS if "\r" not in payload)

    client.force_login(watcher)
    html, number = "", 1
    while True:
        page = get(client, reverse("notifications:list"), data={"page": number})
        html += page.content.decode()
        if f"page={number + 1}" not in page.content.decode():
            break
        number += 1
    assert_safe(html, "notification centre")
    assert_reached(html, PAYLOADS, "notification centre")


def feed_texts(body, atom):
    """What a feed reader renders as HTML: RSS descriptions, Atom summaries and contents."""
    root = ET.fromstring(body)  # noqa: S314 - our own feed
    if atom:
        return [e.text or "" for e in root.iter() if e.tag in (f"{ATOM}summary", f"{ATOM}content")]
    return [e.text or "" for e in root.iter("description")]


def check_feed(client, url, atom):
    body = get(client, url).content
    assert_safe(body.decode(), url)
    texts = feed_texts(body, atom)
    for text in texts:
        assert_safe(text, f"an entry of {url}")
        # We publish plain text as HTML: any tag in it came from a member.
        assert not re.search(r"<[a-zA-Z/!?]", text), f"raw markup in an entry of {url}: {text!r}"
    return body.decode()


def test_feeds_carry_the_corpus_as_text_for_feed_readers(client):
    world = build_world(comments=False)
    seen = ""
    for campaign in world.campaigns:
        seen += check_feed(client, f"/feeds/campaigns/{campaign.slug}/", atom=False)
        seen += check_feed(client, f"/feeds/campaigns/{campaign.slug}/atom/", atom=True)
    assert_reached(seen, PAYLOADS, "campaign feeds")

    home, _index = site_tree()
    home.add_child(instance=ChangelogPage(title="Changelog", slug="changelog"))
    shipped, new = Stage.objects.get(slug="shipped"), Stage.objects.get(slug="new")
    ids = [idea.pk for idea in world.ideas]
    Idea.objects.filter(pk__in=ids).update(stage=shipped, stage_changed_at=timezone.now())
    seen = ""
    while Idea.objects.filter(pk__in=ids, stage=shipped).exists():
        rss = check_feed(client, "/feeds/changelog/", atom=False)
        check_feed(client, "/feeds/changelog/atom/", atom=True)
        seen += rss
        # The feed holds the newest 50: take those out, read the rest.
        shown = [idea.pk for idea in world.ideas if f"/ideas/{idea.pk}/<" in rss]
        assert shown
        Idea.objects.filter(pk__in=shown).update(stage=new)
    assert_reached(seen, PAYLOADS, "changelog feed")


def test_api_json_is_data_and_its_browsable_html_escapes_the_corpus(client):
    world = build_world()
    response = get(client, "/api/v1/ideas/?limit=100")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert {idea["title"] for idea in data["results"]} >= {i.title for i in world.ideas}
    html = get(client, "/api/v1/ideas/?limit=100", HTTP_ACCEPT="text/html").content.decode()
    assert_safe(html, "browsable API idea list")
    assert_reached(html, PAYLOADS, "browsable API idea list")
    for payload, idea in list(world.pairs())[::8]:
        for url in (f"/api/v1/ideas/{idea.pk}/", f"/api/v1/ideas/{idea.pk}/history/"):
            assert_safe(get(client, url, HTTP_ACCEPT="text/html").content.decode(), url)
        reflected = client.get(
            "/api/v1/ideas/", {"q": payload, "tag": payload[:50]}, HTTP_ACCEPT="text/html"
        )
        assert reflected.status_code < 500
        assert_safe(reflected.content.decode(), f"browsable API ?q={payload!r}")
    roadmap = get(client, "/api/v1/roadmap/", HTTP_ACCEPT="text/html").content.decode()
    assert_safe(roadmap, "browsable API roadmap")


SLACK_LINK = re.compile(r"<(https?://[^|<>\s]+)\|([^<>]*)>")


def test_webhook_and_slack_payloads_escape_the_corpus(django_capture_on_commit_callbacks):
    world = build_world()
    team = team_member()
    planned = Stage.objects.get(slug="planned")
    for payload, idea in list(world.pairs())[::3]:
        idea_move(idea=idea, to_stage=planned, actor=team, note=payload)
    ideas_merge(source=world.ideas[2], target=world.ideas[0], actor=team, note=PAYLOADS[1])
    events = Event.objects.filter(idea__in=world.ideas).select_related("idea__campaign")
    assert events.count() >= len(PAYLOADS)
    texts = []
    for event in events:
        payload = build_payload(event)
        json.dumps(payload, default=str)  # plain data: JSON needs no escaping beyond its own
        text = slack_message(payload)["text"]
        texts.append(text)
        links = SLACK_LINK.findall(text)
        for _url, label in links:
            assert "<" not in label and ">" not in label, text
        rest = SLACK_LINK.sub("", text).replace("\n> ", "\n")
        # Slack reads <…> as links, mentions (<!channel>) and commands: none from members.
        assert "<" not in rest and ">" not in rest, text
    assert_reached("\n".join(texts), PAYLOADS, "Slack messages", share=0.9)


def test_marker_helper_finds_each_payloads_own_number():
    assert marker_of("<img src=x onerror=alert('XSS10')>") == "XSS10"
