import pytest

from tests.factories import team_member


@pytest.fixture
def team(db):
    return team_member()


@pytest.fixture
def events(django_capture_on_commit_callbacks):
    """Run what is queued after commit (the outbox event workers) as it is queued."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run
