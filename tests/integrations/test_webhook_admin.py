"""Administrators manage endpoints in the Wagtail admin and read the delivery log."""

import pytest

from ideas.models import Event
from integrations.models import WebhookDelivery, WebhookEndpoint
from tests.factories import IdeaFactory, UserFactory
from tests.integrations.helpers import endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def form(**fields):
    return {
        "name": "Product Slack",
        "url": "https://hooks.example.com/cocrea",
        "format": "slack",
        "events": ["idea.created", "idea.merged"],
        "secret": "s3cret-value",
        "is_active": "on",
        **fields,
    }


def test_an_admin_adds_an_endpoint_with_event_checkboxes(admin_client):
    page = admin_client.get("/admin/webhooks/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="checkbox" name="events" value="idea.stage_changed"' in html
    response = admin_client.post("/admin/webhooks/new/", form())
    assert response.status_code == 302
    hook = WebhookEndpoint.objects.get()
    assert hook.events == ["idea.created", "idea.merged"]
    assert hook.format == "slack"
    assert admin_client.get("/admin/webhooks/").status_code == 200
    assert admin_client.get(f"/admin/webhooks/edit/{hook.pk}/").status_code == 200


@pytest.mark.parametrize("url", ["ftp://files.example.com/in", "file:///etc/passwd"])
def test_only_http_and_https_addresses_are_accepted(admin_client, url):
    response = admin_client.post("/admin/webhooks/new/", form(url=url))
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_is_read_only(admin_client, campaign):
    hook = endpoint("https://hooks.example.com/x")
    idea = IdeaFactory(campaign=campaign)
    event = Event.objects.create(kind="idea.created", idea=idea)
    delivery = WebhookDelivery.objects.create(
        endpoint=hook, event=event, attempts=3, response_status=500, error="HTTP 500"
    )
    listing = admin_client.get("/admin/webhook_deliveries/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "HTTP 500" in html and "idea.created" in html
    assert "/admin/webhook_deliveries/new/" not in html
    assert f"/admin/webhook_deliveries/edit/{delivery.pk}/" not in html
    assert admin_client.get(f"/admin/webhook_deliveries/inspect/{delivery.pk}/").status_code == 200
    for url in ("new/", f"edit/{delivery.pk}/", f"delete/{delivery.pk}/"):
        assert admin_client.get(f"/admin/webhook_deliveries/{url}").status_code != 200, url
    admin_client.post(f"/admin/webhook_deliveries/delete/{delivery.pk}/")
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()


@pytest.mark.parametrize("role", ["member", "editor"])
def test_members_and_editors_cannot_open_the_webhook_admin(client, role):
    from tests.integrations.conftest import make_user

    client.force_login(make_user(role))
    assert client.get("/admin/webhooks/").status_code != 200
    assert client.get("/admin/webhook_deliveries/").status_code != 200


def test_the_product_team_manages_endpoints_but_cannot_edit_the_log(client, campaign):
    """The Product team group holds the webhook permissions (ideas migration 0005)."""
    from tests.integrations.conftest import make_user

    client.force_login(make_user("product_team"))
    assert client.get("/admin/webhooks/").status_code == 200
    assert client.post("/admin/webhooks/new/", form()).status_code == 302
    assert client.get("/admin/webhook_deliveries/").status_code == 200
    assert client.get("/admin/webhook_deliveries/new/").status_code != 200
