"""Cocrea's own page-view counters and the searches that found nothing."""

import datetime as dt

import pytest
from django.db import DatabaseError
from django.test import Client

from insights import counters
from insights.models import DailySalt, DailyVisits, SearchMiss, VisitorHash
from insights.selectors import Scope, search_misses, visits_by_day
from tests.factories import IdeaFactory, ensure_baseline, site_tree

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


@pytest.fixture
def site(db):
    ensure_baseline()
    site_tree()
    counters._salt_of_the_day.clear()


def browse(path="/", agent=BROWSER, ip="203.0.113.7", **headers):
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip, **headers).get(path)


def today_row():
    return DailyVisits.objects.get(day=dt.date.today())


def test_a_public_page_counts_one_view_and_one_visitor(site):
    assert browse().status_code == 200
    assert browse().status_code == 200
    assert browse(ip="198.51.100.2").status_code == 200
    assert today_row().page_views == 3
    assert VisitorHash.objects.count() == 2
    assert visits_by_day(Scope())[-1]["unique_visitors"] == 2


def test_no_ip_address_or_user_agent_is_stored(site):
    browse()
    stored = " ".join(
        str(value) for value in VisitorHash.objects.values_list("day", "digest").first()
    )
    assert "203.0.113.7" not in stored and "Firefox" not in stored
    assert len(VisitorHash.objects.get().digest) == 64


@pytest.mark.parametrize(
    ("path", "agent", "headers"),
    [
        ("/", "", {}),  # no user agent
        ("/", "Googlebot/2.1 (+http://www.google.com/bot.html)", {}),
        ("/", "curl/8.5", {}),
        ("/admin/login/", BROWSER, {}),
        ("/static/css/site.css", BROWSER, {}),
        ("/api/v1/ideas/", BROWSER, {}),
        ("/no-such-page/", BROWSER, {}),  # a 404
        ("/", BROWSER, {"HTTP_HX_REQUEST": "true"}),
    ],
)
def test_bots_admin_static_api_errors_and_fragments_are_not_counted(site, path, agent, headers):
    browse(path, agent, **headers)
    assert not DailyVisits.objects.exists()


def test_a_new_day_keeps_the_count_and_forgets_the_hashes_and_the_salt(site):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    DailySalt.objects.create(day=yesterday, salt="old")
    VisitorHash.objects.bulk_create(
        [VisitorHash(day=yesterday, digest=f"{n:064d}") for n in range(3)]
    )
    DailyVisits.objects.create(day=yesterday, page_views=5)
    browse()
    assert list(DailySalt.objects.values_list("day", flat=True)) == [dt.date.today()]
    assert not VisitorHash.objects.filter(day=yesterday).exists()
    kept = DailyVisits.objects.get(day=yesterday)
    assert (kept.page_views, kept.unique_visitors) == (5, 3)
    days = visits_by_day(Scope(since=yesterday, until=dt.date.today()))
    assert days == [
        {"day": yesterday.isoformat(), "page_views": 5, "unique_visitors": 3},
        {"day": dt.date.today().isoformat(), "page_views": 1, "unique_visitors": 1},
    ]


def test_the_salt_changes_every_day_so_hashes_cannot_be_linked(site):
    class Request:
        META = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": BROWSER}

    assert counters.visitor_digest("a", Request) != counters.visitor_digest("b", Request)


def test_a_failing_counter_never_breaks_the_page(site, monkeypatch):
    def broken(request):
        raise DatabaseError("the counter table is gone")

    monkeypatch.setattr(counters, "visit_record", broken)
    assert browse().status_code == 200


def test_a_broken_database_write_is_rolled_back_and_the_page_still_served(site, monkeypatch):
    def broken_update(*args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(counters.DailyVisits.objects, "filter", broken_update)
    response = browse()
    assert response.status_code == 200
    assert not VisitorHash.objects.exists()


def test_searches_that_found_nothing_are_counted_normalised(site):
    IdeaFactory(title="Round-up savings")
    browse("/search/?q=Crypto++Wallet")
    browse("/search/?q=crypto wallet")
    browse("/search/?q=  CRYPTO   wallet ")
    browse("/search/?q=savings")  # found the idea
    browse("/search/?q=")  # no search
    assert list(SearchMiss.objects.values_list("query", "count")) == [("crypto wallet", 3)]
    assert search_misses(Scope()) == [{"query": "crypto wallet", "searches": 3}]


def test_a_failing_search_counter_never_breaks_the_search(site, monkeypatch):
    def broken(query):
        raise DatabaseError("no")

    monkeypatch.setattr(counters, "search_miss_record", broken)
    assert browse("/search/?q=nothing-here").status_code == 200
