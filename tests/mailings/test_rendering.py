"""The campaign e-mail: HTML and text parts from the article, the member's language, absolute
links, unsubscribe headers and a stable Message-ID; the unsubscribe link works without signing
in, and only a POST unsubscribes."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.unsubscribe import token_for
from mailings.messages import build_message, html_to_text
from members.models import ConsentRecord

from .factories import consenting_member, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_campaign(subject="")


def html_of(message):
    return message.alternatives[0][0]


def test_the_e_mail_has_html_and_text_parts_from_the_article(campaign):
    member = consenting_member()
    message = build_message(campaign, member)
    article = campaign.article
    assert message.subject == article.title  # the subject defaults to the title
    assert message.to == [member.email]
    html = html_of(message)
    assert message.alternatives[0][1] == "text/html"
    for part in (html, message.body):
        assert article.title in part
        assert article.summary in part
        assert "New savings goals" in part
        assert "It finally adds up." in part
        assert "Read on the site" in part
    assert "<h2>New savings goals</h2>" in html
    assert "<" not in message.body.replace("<http", "")  # plain text, no markup
    assert "tell us what you think (http://testserver/campaigns/)" in message.body


def test_links_are_absolute_and_point_to_the_article(campaign):
    message = build_message(campaign, consenting_member())
    html = html_of(message)
    assert 'href="http://testserver/campaigns/"' in html
    assert f'href="http://testserver/news/{campaign.article.slug}/"' in html
    assert not re.search(r'(href|src)="/', html)


def test_headers_allow_one_click_unsubscribe_and_identify_the_message(campaign):
    member = consenting_member()
    message = build_message(campaign, member)
    token = token_for(member, "marketing")
    url = "http://testserver" + reverse("unsubscribe", args=[token])
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in html_of(message) and url in message.body
    # The same campaign and member always give the same Message-ID.
    assert (
        message.extra_headers["Message-ID"]
        == build_message(campaign, member).extra_headers["Message-ID"]
    )
    assert f"mailing.{campaign.pk}.{member.pk}@" in message.extra_headers["Message-ID"]


def test_the_e_mail_is_in_the_member_s_language(campaign):
    member = consenting_member(language="es")
    message = build_message(campaign, member)
    html = html_of(message)
    assert '<html lang="es">' in html
    assert f'href="http://testserver/es/news/{campaign.article.slug}/"' in html  # under /es/
    assert "Darse de baja" in html  # the surrounding strings are translated
    assert "/es/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_a_custom_subject_is_used(campaign):
    campaign.subject = "Big news for savers"
    message = build_message(campaign, consenting_member())
    assert message.subject == "Big news for savers"


def test_html_to_text_keeps_paragraphs_lists_and_links():
    text = html_to_text(
        '<h2>Title</h2><p>One &amp; two <a href="http://x.test/">link</a></p>'
        "<ul><li>first</li><li>second</li></ul>"
    )
    assert text == "Title\nOne & two link (http://x.test/)\n- first\n- second"


# Unsubscribe ---------------------------------------------------------------------------------


def unsubscribe_url(member):
    return reverse("unsubscribe", args=[token_for(member, "marketing")])


def test_the_unsubscribe_link_shows_a_button_without_signing_in_and_get_changes_nothing(client):
    member = consenting_member()
    response = client.get(unsubscribe_url(member))
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    member.refresh_from_db()
    assert member.marketing_consent_at is not None
    assert not ConsentRecord.objects.filter(member=member).exists()


def test_posting_the_unsubscribe_link_withdraws_consent_and_records_it(client):
    member = consenting_member()
    response = client.post(unsubscribe_url(member))
    assert response.status_code == 200
    assert b"Done" in response.content
    member.refresh_from_db()
    assert member.marketing_consent_at is None
    record = ConsentRecord.objects.get(member=member)
    assert (record.given, record.source) == (False, ConsentRecord.Source.UNSUBSCRIBE)


def test_a_mail_client_one_click_post_works_without_a_csrf_token(campaign):
    from django.test import Client

    member = consenting_member()
    url = build_message(campaign, member).extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix("http://testserver"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.marketing_consent_at is None


def test_a_tampered_token_unsubscribes_nobody(client):
    member = consenting_member()
    token = token_for(member, "marketing")
    response = client.post(reverse("unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.marketing_consent_at is not None


def test_a_notification_unsubscribe_link_does_not_withdraw_marketing_consent(client):
    member = consenting_member()
    response = client.post(reverse("unsubscribe", args=[token_for(member, "*")]))
    assert response.status_code == 200 and b"all notifications" in response.content
    member.refresh_from_db()
    assert member.marketing_consent_at is not None


def test_a_link_from_an_e_mail_sent_before_the_flows_merged_still_works(client):
    from django.core import signing

    member = consenting_member()
    legacy = signing.dumps({"m": member.pk}, salt="cocrea.mailings.unsubscribe", compress=True)
    response = client.post(reverse("mailings:unsubscribe", args=[legacy]))
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.marketing_consent_at is None


def test_a_test_send_is_one_e_mail_not_recorded(campaign):
    from mailings.services import campaign_test_send
    from tests.factories import editor

    member = consenting_member()
    campaign_test_send(campaign=campaign, member=member, actor=editor())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Test]")
    assert not campaign.deliveries.exists()
