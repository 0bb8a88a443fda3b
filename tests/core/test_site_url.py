"""Links that open this site: every absolute URL in e-mails, feeds and the API is on `SITE_URL`
(here a non-default port), never on the host a request came through nor on port 8000; the
Site records follow it."""

import re

import pytest
from django.contrib.sites.models import Site as DjangoSite
from django.core import mail
from django.test import override_settings
from wagtail.models import Site

from core.links import absolute, on_site, site_url
from core.sites import sync_sites
from ideas.models import Stage
from ideas.services import follow, idea_move
from mailings.messages import build_message
from tests.factories import IdeaFactory, UserFactory, make_campaign, site_tree
from tests.mailings.factories import consenting_member
from tests.mailings.factories import make_campaign as make_mailing

pytestmark = pytest.mark.django_db

ON_PORT = "http://127.0.0.1:8110"
LINK = re.compile(r"https?://[^\s\"'<>)]+")


def links_in(*texts):
    return [link for text in texts for link in LINK.findall(text)]


def assert_all_on_site(links):
    assert links, "no link at all"
    foreign = [link for link in links if not link.startswith(ON_PORT + "/")]
    assert not foreign, foreign


def test_the_helper_puts_paths_on_site_url_and_keeps_the_language_prefix(settings):
    settings.SITE_URL = ON_PORT + "/"
    assert site_url() == ON_PORT
    assert absolute("/campaigns/x/") == f"{ON_PORT}/campaigns/x/"
    assert absolute("/campaigns/x/", "es") == f"{ON_PORT}/es/campaigns/x/"
    # A path reversed in Spanish carries its prefix already: it is not doubled.
    assert absolute("/es/campaigns/x/", "es") == f"{ON_PORT}/es/campaigns/x/"
    assert absolute("/es", "es") == f"{ON_PORT}/es"
    assert absolute("/estudio/", "es") == f"{ON_PORT}/es/estudio/"
    assert absolute("https://elsewhere.example/a") == "https://elsewhere.example/a"
    assert on_site("http://testserver/accounts/confirm/k/?next=/a#b") == (
        f"{ON_PORT}/accounts/confirm/k/?next=/a#b"
    )


@override_settings(SITE_URL=ON_PORT)
def test_a_notification_e_mail_on_a_non_default_port_links_there(
    django_capture_on_commit_callbacks,
):
    idea = IdeaFactory()
    follower = UserFactory()
    follow(member=follower, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        idea_move(
            idea=idea,
            to_stage=Stage.objects.get(slug="planned"),
            actor=UserFactory(is_team=True, is_staff=True),
            note="Planned.",
        )
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    html = message.alternatives[0][0]
    links = links_in(message.body, html)
    assert f"{ON_PORT}{idea.url}" in links
    assert_all_on_site(links)
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{ON_PORT}/unsubscribe/")
    assert ":8000" not in message.body + html and "testserver" not in message.body + html


@override_settings(SITE_URL=ON_PORT)
def test_a_spanish_members_e_mail_links_once_to_the_spanish_pages(
    django_capture_on_commit_callbacks,
):
    idea = IdeaFactory()
    follower = UserFactory(language="es")
    follow(member=follower, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        idea_move(
            idea=idea,
            to_stage=Stage.objects.get(slug="planned"),
            actor=UserFactory(is_team=True, is_staff=True),
            note="Planificada.",
        )
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    links = links_in(message.body, message.alternatives[0][0])
    assert any(link.startswith(f"{ON_PORT}/es/") for link in links)
    assert not [link for link in links if "/es/es/" in link]


@override_settings(SITE_URL=ON_PORT)
def test_a_mailing_links_the_article_images_and_unsubscribe_on_site_url():
    campaign = make_mailing(subject="")
    message = build_message(campaign, consenting_member())
    html = message.alternatives[0][0]
    assert_all_on_site([link for link in links_in(message.body, html) if "w3.org" not in link])
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{ON_PORT}/unsubscribe/")


@override_settings(SITE_URL=ON_PORT)
def test_feeds_link_to_site_url_not_the_requests_host(client):
    campaign = make_campaign(title="Saving on a port")
    idea = IdeaFactory(campaign=campaign)
    body = client.get(f"/feeds/campaigns/{campaign.slug}/", HTTP_HOST="localhost").content
    text = body.decode()
    assert f"<link>{ON_PORT}{campaign.url}</link>" in text
    assert f"{ON_PORT}{campaign.url}ideas/{idea.pk}/" in text
    assert "http://localhost" not in text and "testserver" not in text


@override_settings(SITE_URL=ON_PORT)
def test_the_api_links_to_site_url(client):
    campaign = make_campaign()
    idea = IdeaFactory(campaign=campaign)
    data = client.get("/api/v1/ideas/", HTTP_HOST="localhost").json()
    (row,) = [r for r in data["results"] if r["id"] == idea.pk]
    assert row["url"] == f"{ON_PORT}{campaign.url}ideas/{idea.pk}/"
    campaigns = client.get("/api/v1/campaigns/").json()["results"]
    assert all(c["url"].startswith(ON_PORT + "/") for c in campaigns if c.get("url"))


@override_settings(SITE_URL=ON_PORT)
def test_the_password_reset_e_mail_links_to_site_url(client):
    member = UserFactory()
    site_tree()
    response = client.post(
        "/accounts/password/reset/", {"email": member.email}, HTTP_HOST="localhost"
    )
    assert response.status_code in (200, 302)
    (message,) = mail.outbox
    links = links_in(message.body)
    assert any("/accounts/password/reset/key/" in link for link in links), message.body
    assert_all_on_site(links)


def test_the_site_records_follow_site_url_and_the_sync_is_idempotent(settings):
    site_tree()
    settings.SITE_URL = ON_PORT
    assert sync_sites() == 2
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8110)
    assert site.root_url == ON_PORT
    assert DjangoSite.objects.get_current().domain == "127.0.0.1:8110"
    assert sync_sites() == 0  # nothing left to change
    settings.SITE_URL = "https://ideas.example.com"
    sync_sites()
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("ideas.example.com", 443)
    assert DjangoSite.objects.get_current().domain == "ideas.example.com"


def test_migrate_syncs_the_site_records_only_when_switched_on(settings):
    from django.core.management import call_command

    site_tree()
    settings.SITE_URL = ON_PORT
    settings.SITE_SYNC_ON_MIGRATE = False
    call_command("migrate", verbosity=0, interactive=False)
    assert Site.objects.get(is_default_site=True).port == 80
    settings.SITE_SYNC_ON_MIGRATE = True
    call_command("migrate", verbosity=0, interactive=False)
    assert Site.objects.get(is_default_site=True).port == 8110
    assert DjangoSite.objects.get_current().domain == "127.0.0.1:8110"
