import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The locmem cache outlives a test's transaction: cached navigation or audience answers
    # must not reach the next test (SQLite reuses primary keys after a rollback).
    cache.clear()
    yield
    cache.clear()
