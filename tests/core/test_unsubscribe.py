"""One unsubscribe flow for every e-mail: a signed link per member and topic, no sign-in, GET
shows a button and changes nothing, POST unsubscribes from that topic only; links of e-mails sent
before the flows were merged keep working."""

import pytest
from django.core import signing
from django.urls import reverse

from core.unsubscribe import token_for, url_for
from notifications.models import NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_kind_of_notification_is_silenced_and_nothing_else(client):
    member = UserFactory(email="ana.garcia@example.com")
    url = reverse("unsubscribe", args=[token_for(member, "comment")])
    page = client.get(url)
    assert page.status_code == 200 and b"a\xe2\x80\xa6a@example.com" in page.content
    assert b"ana.garcia@example.com" not in page.content
    assert not NotificationPreference.objects.exists()
    assert client.post(url).status_code == 200
    assert dict(
        NotificationPreference.objects.filter(member=member).values_list("kind", "frequency")
    ) == {"comment": "none"}


def test_links_are_absolute_and_in_the_member_s_language():
    member = UserFactory()
    assert url_for(member, "*", "es").startswith("http://testserver/es/unsubscribe/")
    assert url_for(member, "*", "en").startswith("http://testserver/unsubscribe/")


def test_an_unknown_topic_or_a_tampered_token_is_refused(client):
    member = UserFactory()
    bogus = signing.dumps({"m": member.pk, "t": "everything"}, salt="cocrea.token.unsubscribe")
    assert client.post(reverse("unsubscribe", args=[bogus])).status_code == 400
    token = token_for(member, "*")
    assert client.post(reverse("unsubscribe", args=[token[:-3] + "abc"])).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_a_notification_link_sent_before_the_merge_still_unsubscribes(client):
    member = UserFactory()
    legacy = signing.dumps(
        {"m": member.pk, "k": "stage_changed"},
        salt="cocrea.notifications.unsubscribe",
        compress=True,
    )
    assert client.post(f"/notifications/unsubscribe/{legacy}/").status_code == 200
    assert NotificationPreference.objects.get(member=member).kind == "stage_changed"
