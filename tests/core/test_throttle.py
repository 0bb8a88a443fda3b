"""core.throttle: a fixed window per scope, counted per member and per address, in the shared
cache, and never a failure when the cache is down."""

import time
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from core.throttle import check, parse_rates, throttle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.THROTTLE_ENABLED = True
    settings.THROTTLE_RATES = {"poke": "3/m/member,5/m/ip", "quick": "2/1s/ip"}


def request_from(ip, user=None):
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.user = user or AnonymousUser()
    return request


def test_rates_are_read_as_amount_window_and_who():
    rates = parse_rates("10/m/ip, 5/5m/member,100/h")
    assert [(r.amount, r.seconds, r.who) for r in rates] == [
        (10, 60, "ip"),
        (5, 300, "member"),
        (100, 3600, "ip"),
    ]


def test_a_member_gets_exactly_the_limit_then_a_refusal_with_the_wait():
    member = UserFactory()
    answers = [check(request_from(f"10.0.0.{n}", member), "poke") for n in range(4)]
    assert answers[:3] == [None, None, None]
    refusal = answers[3]
    assert refusal.rate.who == "member" and 1 <= refusal.retry_after <= 60
    assert "too often" in refusal.message


def test_an_address_is_limited_whoever_signs_in_from_it():
    answers = [check(request_from("10.0.0.1", UserFactory()), "poke") for _ in range(6)]
    assert answers[:5] == [None] * 5
    assert answers[5].rate.who == "ip"


def test_other_members_and_addresses_are_counted_apart():
    member = UserFactory()
    for _ in range(3):
        check(request_from("10.0.0.1", member), "poke")
    assert check(request_from("10.0.0.1", member), "poke") is not None
    assert check(request_from("10.0.0.2", UserFactory()), "poke") is None


def test_the_window_ends_and_requests_pass_again():
    assert check(request_from("10.0.0.9"), "quick") is None
    assert check(request_from("10.0.0.9"), "quick") is None
    assert check(request_from("10.0.0.9"), "quick") is not None
    time.sleep(1.2)
    assert check(request_from("10.0.0.9"), "quick") is None


def test_a_scope_without_limits_is_never_refused():
    assert all(check(request_from("10.0.0.1"), "unknown") is None for _ in range(50))


def test_a_broken_cache_lets_requests_through(settings):
    # Nothing listens on port 1: every cache call fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    assert all(check(request_from("10.0.0.1"), "poke") is None for _ in range(10))

    @throttle("poke")
    def view(request):
        return HttpResponse("done")

    assert [view(request_from("10.0.0.1")).status_code for _ in range(10)] == [200] * 10


@pytest.mark.redis
def test_limits_hold_in_redis_shared_by_every_process(settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    answers = [check(request_from(ip), "poke") for _ in range(6)]
    assert answers[:5] == [None] * 5 and answers[5] is not None
