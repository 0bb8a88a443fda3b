"""The campaign services check their actor themselves: nothing but an editor (or a superuser)
can create, change, test, send or cancel a campaign, whichever door the call comes through."""

import pytest
from django.core import mail

from core.exceptions import NotAllowed
from mailings.models import EmailCampaign
from mailings.services import (
    campaign_cancel,
    campaign_create,
    campaign_send,
    campaign_test_send,
    campaign_update,
)
from tests.factories import UserFactory, editor

from .factories import make_article, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["member", "product team", "anonymous-like inactive editor"])
def outsider(request):
    if request.param == "member":
        return UserFactory()
    if request.param == "product team":
        return UserFactory(is_staff=True, is_team=True)
    return editor(is_active=False)


def test_who_is_not_an_editor_cannot_create_a_campaign(outsider):
    with pytest.raises(NotAllowed, match="may not manage e-mail campaigns"):
        campaign_create(article=make_article(), actor=outsider)
    assert not EmailCampaign.objects.exists()


def test_who_is_not_an_editor_cannot_change_test_send_or_send(outsider):
    campaign = make_campaign()
    with pytest.raises(NotAllowed):
        campaign_update(
            campaign=campaign, article=make_article(), subject="Hijacked", actor=outsider
        )
    with pytest.raises(NotAllowed):
        campaign_test_send(campaign=campaign, actor=outsider)
    with pytest.raises(NotAllowed):
        campaign_send(campaign=campaign, actor=outsider)
    with pytest.raises(NotAllowed):
        campaign_cancel(campaign=campaign, actor=outsider)
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.DRAFT and campaign.subject != "Hijacked"
    assert not campaign.deliveries.exists() and mail.outbox == []


def test_an_editor_can_do_each_step(django_capture_on_commit_callbacks):
    actor = editor()
    campaign = campaign_create(article=make_article(), actor=actor)
    campaign_update(campaign=campaign, article=campaign.article, subject="Spring", actor=actor)
    campaign_test_send(campaign=campaign, actor=actor)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [actor.email]
    with django_capture_on_commit_callbacks(execute=False):
        campaign_send(campaign=campaign, actor=actor)
    assert campaign_cancel(campaign=campaign, actor=actor) >= 0
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.CANCELLED
