"""Degrade, don't fail: the site is served (a live server) with its cache and its broker on a
private Redis, members keep reading and writing and the team keeps answering ideas through the
API while that Redis is killed for more than 30 seconds. No request gets a 5xx, every write is in
PostgreSQL, and once Redis and a worker are back every notification e-mail goes out exactly
once."""

import itertools
import threading
import time
from collections import Counter

import pytest
import requests
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_comments_xtd.forms import XtdCommentForm
from django_comments_xtd.models import XtdComment
from rest_framework.authtoken.models import Token

from cms import pagecache
from ideas.models import Event, Follow, Idea, IdeaStageChange
from notifications.models import EmailDelivery
from tests.factories import IdeaFactory, UserFactory, ensure_baseline, make_campaign, team_member
from tests.support.mail import delivered
from tests.support.worker import RedisServer, Worker, queue_name, sending_to, wait_for
from voting.models import Vote

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 32
CSRF = "x" * 32


def signed_in(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "members.backends.MemberBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    browser = requests.Session()
    browser.cookies.set("sessionid", session.session_key)
    browser.cookies.set("csrftoken", CSRF)
    browser.headers["X-CSRFToken"] = CSRF
    return browser


class Traffic:
    """Members and the team using the site from threads, every response recorded."""

    def __init__(self, base, campaign, ideas, members, team):
        self.base, self.campaign, self.ideas = base, campaign, ideas
        self.members, self.token = members, Token.objects.create(user=team).key
        self.statuses = Counter()
        self.failures = []
        self.writes = {"idea": [], "vote": [], "comment": [], "follow": [], "answer": []}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.member, args=(n, m)) for n, m in enumerate(members)
        ] + [threading.Thread(target=self.answers)]

    def record(self, what, response, write=None):
        with self.lock:
            self.statuses[response.status_code // 100 * 100] += 1
            if response.status_code >= 500 or (write and response.status_code not in (200, 302)):
                self.failures.append((what, response.status_code))
            elif write:
                self.writes[write[0]].append(write[1])

    def member(self, n, member):
        browser = signed_in(member)
        campaign_url = f"{self.base}{self.campaign.url}"
        ideas = itertools.cycle(self.ideas[n:] + self.ideas[:n])
        category = self.campaign.categories.first().pk
        for step in itertools.count():
            if self.stop.is_set():
                return
            idea = next(ideas)
            idea_url = f"{campaign_url}ideas/{idea.pk}/"
            action = step % 7
            if action == 0:
                self.record("home", browser.get(f"{self.base}/"))
            elif action == 1:
                self.record("campaign", browser.get(campaign_url))
            elif action == 2:
                self.record("idea", browser.get(idea_url))
            elif action == 3:
                title = f"Idea {n}-{step} from a member"
                response = browser.post(
                    f"{campaign_url}submit/",
                    {
                        "title": title,
                        "description": "Written while the cache and the broker were away.",
                        "category": category,
                        "tags": "outage",
                    },
                    allow_redirects=False,
                )
                self.record("submit", response, ("idea", title))
            elif action == 4:
                response = browser.post(
                    f"{idea_url}vote/", {"action": "vote"}, allow_redirects=False
                )
                self.record("vote", response, ("vote", (member.pk, idea.pk)))
            elif action == 5:
                text = f"Comment {n}-{step} on this idea"
                form = XtdCommentForm(idea).generate_security_data()
                response = browser.post(
                    f"{self.base}/comments/post/",
                    {**form, "comment": text, "reply_to": 0, "next": idea_url, "honeypot": ""},
                    allow_redirects=False,
                )
                self.record("comment", response, ("comment", text))
            else:
                response = browser.post(
                    f"{idea_url}follow/", {"action": "follow"}, allow_redirects=False
                )
                self.record("follow", response, ("follow", (member.pk, idea.pk)))
            time.sleep(0.05)

    def answers(self):
        api = requests.Session()
        api.headers["Authorization"] = f"Token {self.token}"
        for step in itertools.count():
            if self.stop.is_set():
                return
            idea = self.ideas[step % len(self.ideas)]
            note = f"Answer {step} from the product team"
            response = api.post(
                f"{self.base}/api/v1/ideas/{idea.pk}/move/",
                json={"stage": idea.stage.slug, "note": note},
            )
            self.record("answer", response, ("answer", note))
            time.sleep(0.4)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def test_the_site_reads_and_writes_through_a_redis_outage_and_mail_goes_out_once(
    redis, live_server, settings, tmp_path
):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FaultTolerantRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.AUDIENCE_GENERATION_CACHE_SECONDS = 5
    settings.PAGE_CACHE_SECONDS = 60  # members' changes start new page generations meanwhile
    ensure_baseline()
    campaign = make_campaign()
    ideas = [IdeaFactory(campaign=campaign) for _ in range(6)]
    members = UserFactory.create_batch(3)
    team = team_member()
    queue = queue_name()
    worker = Worker(queue=queue, broker=redis.url, tmp=tmp_path, beat=True).start()
    try:
        with (
            sending_to(queue, redis.url),
            Traffic(live_server.url, campaign, ideas, members, team) as traffic,
        ):
            time.sleep(4)
            worker.kill()
            redis.kill()
            outage_started = time.monotonic()
            during = Counter(traffic.statuses)
            time.sleep(OUTAGE_SECONDS)
            served_in_outage = sum(traffic.statuses.values()) - sum(during.values())
            outage = time.monotonic() - outage_started
            redis.start()
            worker = Worker(queue=queue, broker=redis.url, tmp=tmp_path, beat=True).start()
            time.sleep(4)
        wait_for(
            lambda: (
                not Event.objects.filter(processed_at__isnull=True).exists()
                and not EmailDelivery.objects.exclude(status="sent").exists()
            ),
            "every event processed and every e-mail sent",
            timeout=60,
        )
    finally:
        worker.stop()

    assert outage >= 30
    assert traffic.failures == []
    assert traffic.statuses[500] == 0
    assert served_in_outage > 50, "members were not served during the outage"
    writes = traffic.writes
    assert all(writes.values()), writes
    assert Idea.objects.filter(title__in=writes["idea"]).count() == len(writes["idea"])
    for member_id, idea_id in set(writes["vote"]):
        assert Vote.objects.filter(member_id=member_id, idea_id=idea_id).exists()
    for member_id, idea_id in set(writes["follow"]):
        assert Follow.objects.filter(member_id=member_id, idea_id=idea_id).exists()
    assert XtdComment.objects.filter(comment__in=writes["comment"]).count() == len(
        writes["comment"]
    )
    assert IdeaStageChange.objects.filter(note__in=writes["answer"]).count() == len(
        writes["answer"]
    )
    keys = set(EmailDelivery.objects.values_list("key", flat=True))
    assert keys, "the answers should have been e-mailed to the followers"
    copies = delivered(tmp_path / "mail")
    assert set(copies) == keys
    assert max(copies.values()) == 1


def test_anonymous_pages_come_from_the_cache_and_from_postgresql_when_redis_is_gone(
    redis, live_server, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FaultTolerantRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.AUDIENCE_GENERATION_CACHE_SECONDS = 5
    settings.PAGE_CACHE_SECONDS = 60
    campaign = make_campaign()
    IdeaFactory(campaign=campaign, title="Written before the outage")
    address = f"{live_server.url}{campaign.url}"

    def served_from_cache():
        hits = pagecache.stats["hit"]
        page = requests.get(address, timeout=5)
        assert page.status_code == 200
        return page.text, pagecache.stats["hit"] > hits

    served_from_cache()
    text, hit = served_from_cache()
    assert hit and "Written before the outage" in text

    redis.kill()
    IdeaFactory(campaign=campaign, title="Written while Redis was away")
    started = time.monotonic()
    for _ in range(20):
        text, hit = served_from_cache()
        assert not hit and "Written while Redis was away" in text
    assert time.monotonic() - started < 20

    redis.start()
    time.sleep(2.5)  # the cache tries Redis again after core.cache.RETRY_SECONDS
    served_from_cache()
    text, hit = served_from_cache()
    assert hit and "Written while Redis was away" in text
