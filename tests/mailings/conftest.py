import pytest


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.MAILING_RATE_PER_SECOND = 0
