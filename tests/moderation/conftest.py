import pytest

from moderation.models import ModerationReason
from tests.factories import IdeaFactory, UserFactory, comment_on, moderator


@pytest.fixture
def mod(db):
    return moderator()


@pytest.fixture
def idea(db):
    return IdeaFactory()


@pytest.fixture
def comment(idea):
    return comment_on(idea)


@pytest.fixture
def reason(db):
    return ModerationReason.objects.get(code="abusive")


@pytest.fixture
def flaggers(db):
    return [UserFactory() for _ in range(3)]
