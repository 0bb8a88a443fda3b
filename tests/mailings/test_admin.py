"""The editor's flow in the Wagtail admin: create from an article, preview, test send, send
(with confirmation), progress, results — and who may do it: editors and superusers, not
members, anonymous visitors or the product team."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mailings.models import EmailCampaign
from tests.factories import UserFactory, editor, ensure_baseline, team_member

from .factories import consenting_member, make_article, make_campaign, make_segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    ensure_baseline()
    client.force_login(editor(email="ed@example.com"))
    return client


@pytest.fixture
def draft():
    segment = make_segment()
    for _ in range(3):
        consenting_member(segment)
    consenting_member()
    return make_campaign(segments=[segment])


def url(name, campaign=None):
    return reverse(f"mailings_admin:{name}", args=[campaign.pk] if campaign else [])


def test_an_editor_creates_a_campaign_from_an_article(editor_client):
    article = make_article()
    segment = make_segment()
    response = editor_client.get(url("new") + f"?article={article.pk}")
    assert response.status_code == 200
    assert f'<option value="{article.pk}" selected>' in response.content.decode()
    response = editor_client.post(
        url("new"), {"article": article.pk, "segments": [segment.pk], "subject": ""}
    )
    campaign = EmailCampaign.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", campaign)
    assert campaign.article == article and list(campaign.segments.all()) == [segment]
    assert campaign.status == EmailCampaign.Status.DRAFT
    assert campaign.created_by.email == "ed@example.com"


def test_an_unpublished_article_cannot_be_chosen(editor_client):
    article = make_article(publish=False)
    response = editor_client.post(url("new"), {"article": article.pk})
    assert response.status_code == 200
    assert not EmailCampaign.objects.exists()


def test_the_article_page_offers_send_by_e_mail(editor_client, admin_client):
    article = make_article()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert url("new") + f"?article={article.pk}" in response.content.decode()


def test_the_draft_shows_the_recipient_count_and_a_preview(editor_client, draft):
    response = editor_client.get(url("detail", draft))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-recipient-count="3"' in content
    assert url("preview", draft) in content
    preview = editor_client.get(url("preview", draft))
    assert preview.status_code == 200
    assert draft.article.title in preview.content.decode()
    assert preview.get("X-Frame-Options", "SAMEORIGIN") == "SAMEORIGIN"


def test_a_test_send_goes_to_the_editor_only_and_is_not_recorded(editor_client, draft):
    response = editor_client.post(url("test", draft))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ed@example.com"]]
    assert mail.outbox[0].subject.startswith("[Test]")
    assert not draft.deliveries.exists()
    draft.refresh_from_db()
    assert draft.status == EmailCampaign.Status.DRAFT


def test_send_asks_for_confirmation_with_the_count_then_sends(
    editor_client, draft, django_capture_on_commit_callbacks
):
    response = editor_client.get(url("send", draft))
    assert 'data-recipient-count="3"' in response.content.decode()
    assert not draft.deliveries.exists()  # GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url("send", draft))
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    draft.refresh_from_db()
    assert draft.status == EmailCampaign.Status.SENT
    results = editor_client.get(url("detail", draft)).content.decode()
    assert 'data-count="sent">3<' in results


def test_progress_shows_counts_and_polls_while_sending(
    editor_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # no worker: stays "sending"
        editor_client.post(url("send", draft))
    page = editor_client.get(url("detail", draft)).content.decode()
    assert 'hx-trigger="every 3s"' in page and 'http-equiv="refresh" content="3"' in page
    assert 'data-count="pending">3<' in page
    partial = editor_client.get(url("progress", draft), headers={"HX-Request": "true"})
    assert 'data-count="pending">3<' in partial.content.decode()
    assert "HX-Refresh" not in partial


def test_results_list_failures_with_reasons(
    editor_client, draft, settings, django_capture_on_commit_callbacks
):
    from mailings import sending

    settings.EMAIL_BACKEND = "tests.support.mail.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url("send", draft))
    for _round in range(3 * sending.MAX_ATTEMPTS):  # time passes: every retry comes due
        draft.deliveries.update(next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            sending.send_batch(draft.pk, force=True)
    page = editor_client.get(url("detail", draft)).content.decode()
    assert 'data-count="failed">3<' in page
    assert "ConnectionRefusedError: mail server refused the connection" in page


def test_cancel_from_the_admin(editor_client, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        editor_client.post(url("send", draft))
    editor_client.post(url("cancel", draft))
    draft.refresh_from_db()
    assert draft.status == EmailCampaign.Status.CANCELLED
    assert draft.skipped == 3 and mail.outbox == []


@pytest.mark.parametrize(
    "who", ["anonymous", "member", "product team"], ids=lambda who: who.replace(" ", "-")
)
def test_only_editors_and_superusers_reach_campaigns(client, draft, who):
    ensure_baseline()
    if who == "member":
        client.force_login(UserFactory())
    elif who == "product team":
        client.force_login(team_member())
    for name in ("index", "new"):
        assert client.get(url(name)).status_code in (302, 403)
    for name in ("detail", "preview", "send", "progress"):
        assert client.get(url(name, draft)).status_code in (302, 403)
    for name in ("send", "test", "cancel"):
        assert client.post(url(name, draft)).status_code in (302, 403)
    draft.refresh_from_db()
    assert draft.status == EmailCampaign.Status.DRAFT
    assert not draft.deliveries.exists() and mail.outbox == []


def test_the_product_team_is_refused_but_a_superuser_is_not(client, admin_client, draft):
    ensure_baseline()
    client.force_login(team_member())
    refused = client.get(url("detail", draft))  # Wagtail turns the 403 into a redirect home
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert admin_client.get(url("detail", draft)).status_code == 200
    assert admin_client.get(url("index")).status_code == 200


def test_editors_see_the_menu_and_the_list(editor_client, draft):
    response = editor_client.get(url("index"))
    assert response.status_code == 200
    assert draft.subject_line in response.content.decode()
