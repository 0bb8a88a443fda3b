"""The Redis cache only speeds things up: with its Redis gone every operation answers as a miss,
and the audience generation still comes from (and moves in) PostgreSQL."""

import pytest
from django.core.cache import cache

from segments.membership import audience_changed, generation
from tests.support.worker import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def redis(tmp_path, settings):
    server = RedisServer(tmp_path).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FaultTolerantRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.AUDIENCE_GENERATION_CACHE_SECONDS = 5
    yield server
    server.stop()


def test_the_cache_works_while_redis_is_up(redis):
    cache.set("k", 1)
    assert cache.get("k") == 1 and cache.add("k", 2) is False


def test_every_cache_operation_answers_as_a_miss_when_redis_is_gone(redis):
    cache.set("k", 1)
    redis.kill()
    assert cache.get("k") is None and cache.get("k", "default") == "default"
    assert cache.get_many(["k", "j"]) == {}
    cache.set("k", 2)
    cache.set_many({"a": 1})
    cache.delete("k")
    cache.delete_many(["k"])
    # "Added": a lock in a cache that is away must not block anyone (allauth's rate limits).
    assert cache.add("lock", True) is True
    assert cache.has_key("k") is False
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_the_audience_generation_comes_from_postgresql_when_redis_is_gone(redis):
    audience_changed()
    before = generation()
    redis.kill()
    assert generation() == before
    audience_changed()
    assert generation() > before
