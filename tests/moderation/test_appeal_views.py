"""The decision page: the author reads the decision, its reason and clause, and appeals once."""

import pytest

from ideas.models import Idea
from moderation.models import Appeal, Decision
from moderation.services import case_decide, case_hold
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(mod, reason):
    idea = IdeaFactory(status=Idea.Status.PENDING)
    case = case_hold(item=idea, reason="campaign")
    return case_decide(case=case, action=Decision.Action.REJECT, actor=mod, reason=reason)


def test_the_author_reads_the_decision_and_appeals_once(client, rejected, reason):
    author = rejected.case.author
    client.force_login(author)
    url = f"/moderation/decisions/{rejected.pk}/"
    page = client.get(url).content.decode()
    assert reason.label in page and reason.clause in page and "Appeal this decision" in page
    too_long = client.post(url, {"text": "x" * 1001})
    assert too_long.status_code == 200 and not Appeal.objects.exists()
    assert client.post(url, {"text": "It fits the campaign."}).status_code == 302
    page = client.get(url).content.decode()
    assert "It fits the campaign." in page and "Appeal this decision" not in page
    client.post(url, {"text": "Again"})
    assert Appeal.objects.count() == 1


def test_the_page_is_in_spanish_for_a_spanish_member(client, rejected, reason):
    client.force_login(rejected.case.author)
    page = client.get(f"/es/moderation/decisions/{rejected.pk}/").content.decode()
    assert reason.clause_es in page and "Recurrir esta decisión" in page


def test_others_get_404(client, rejected):
    client.force_login(UserFactory())
    assert client.get(f"/moderation/decisions/{rejected.pk}/").status_code == 404
    assert client.post(f"/moderation/decisions/{rejected.pk}/", {"text": "x"}).status_code == 404
    assert not Appeal.objects.exists()
