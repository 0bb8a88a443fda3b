"""Pre-moderation that flows: the author sees their waiting idea on their profile and its page
(others get 404); approval publishes it with its date and tells the author; rejection says why."""

import pytest

from campaigns.models import CampaignPage
from ideas.models import Idea
from ideas.services import idea_submit
from moderation.models import Case, Decision
from moderation.services import case_decide
from tests.factories import UserFactory, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(member):
    campaign = make_campaign(moderation=CampaignPage.Moderation.HOLD)
    return idea_submit(
        campaign=campaign,
        author=member,
        data={"title": "Round up to the next euro", "description": "Save the change, every day."},
    )


def test_a_held_submission_lands_in_the_queue(waiting):
    case = Case.objects.get(idea=waiting, comment=None)
    assert case.status == Case.Status.PENDING and case.held_reason == "campaign"


def test_the_author_sees_it_waiting_and_others_do_not(client, member, waiting):
    client.force_login(member)
    page = client.get(waiting.url).content.decode()
    assert "Waiting for review" in page
    profile = client.get(f"/members/{member.username}/").content.decode()
    assert waiting.title in profile
    client.force_login(UserFactory())
    assert client.get(waiting.url).status_code == 404
    assert waiting.title not in client.get(f"/members/{member.username}/").content.decode()


def test_approval_publishes_it_and_rejection_explains(client, member, waiting, mod, reason):
    created = waiting.created_at
    case = Case.objects.get(idea=waiting)
    case_decide(case=case, action=Decision.Action.APPROVE, actor=mod)
    waiting.refresh_from_db()
    assert waiting.status == Idea.Status.PUBLISHED and waiting.created_at == created
    client.logout()
    assert client.get(waiting.url).status_code == 200

    other = idea_submit(
        campaign=waiting.campaign,
        author=member,
        data={"title": "Buy now, pay never", "description": "A card that pays for itself."},
    )
    rejected = case_decide(
        case=Case.objects.get(idea=other), action=Decision.Action.REJECT, actor=mod, reason=reason
    )
    client.force_login(member)
    page = client.get(f"/moderation/decisions/{rejected.pk}/").content.decode()
    assert reason.clause in page
    assert "Rejected by moderation" in client.get(f"/members/{member.username}/").content.decode()
