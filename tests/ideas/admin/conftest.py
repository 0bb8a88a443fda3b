import pytest

from tests.factories import UserFactory, editor, team_member


@pytest.fixture
def team(db):
    return team_member(display_name="Tomás Team")


@pytest.fixture
def team_client(client, team):
    client.force_login(team)
    return client


@pytest.fixture
def editor_user(db):
    return editor()


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)
