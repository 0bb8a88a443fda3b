"""Anonymous pages come from the cache (cms.pagecache): the same for every visitor who cannot be
told apart, each with a CSRF token and a CSP nonce of its own, never for a member, and gone as
soon as anything they show changes."""

import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from cms import pagecache
from ideas.models import Idea
from insights.models import DailyVisits
from tests.factories import IdeaFactory, UserFactory, make_campaign, translate

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def campaign():
    campaign = make_campaign()
    IdeaFactory(campaign=campaign, title="Round up my purchases")
    return campaign


def visit(path, client=None, **extra):
    response = (client or Client()).get(path, **extra)
    return response, getattr(response, "page_cache", None)


def tokens(response):
    return set(TOKEN.findall(response.content.decode()))


def nonces(response):
    return set(re.findall(r'nonce="([^"]+)"', response.content.decode()))


def vote_count(response, idea):
    html = response.content.decode()
    match = re.search(
        rf'id="vote-{idea.pk}".*?class="vote__count" aria-hidden="true">(\d+)<', html, re.S
    )
    return int(match.group(1))


def test_the_next_anonymous_visitor_gets_the_page_from_the_cache_without_a_query(
    campaign, django_assert_num_queries
):
    first, how = visit(campaign.url)
    assert how == "stored"
    with django_assert_num_queries(0):
        again, how = visit(campaign.url)
    assert how == "hit"
    assert again.status_code == 200
    assert "Round up my purchases" in again.content.decode()
    # The same headers as the page made for a visitor (security headers, Vary, cookie).
    assert set(again.headers) == set(first.headers)
    for name in ("Content-Type", "Vary", "Content-Language", "X-Frame-Options"):
        assert again[name] == first[name]


def test_each_visitor_gets_a_csrf_token_of_their_own_and_can_post_with_it(campaign):
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alices_page, _ = visit(campaign.url, alice)
    bobs_page, how = visit(campaign.url, bob)
    assert how == "hit"
    alices_secret = alice.cookies["csrftoken"].value
    bobs_secret = bob.cookies["csrftoken"].value
    assert alices_secret != bobs_secret
    assert {_unmask_cipher_token(t) for t in tokens(alices_page)} == {alices_secret}
    # Bob's page holds tokens of his own secret only: nothing of Alice's is in it.
    assert {_unmask_cipher_token(t) for t in tokens(bobs_page)} == {bobs_secret}
    assert alices_secret not in bobs_page.content.decode()
    token = next(iter(tokens(bobs_page)))
    answer = bob.post(
        "/i18n/setlang/",
        {"next": campaign.url, "language": "en", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302
    # A visitor who already has a CSRF cookie keeps it and gets tokens of it.
    again, how = visit(campaign.url, bob)
    assert how == "hit" and bob.cookies["csrftoken"].value == bobs_secret
    assert {_unmask_cipher_token(t) for t in tokens(again)} == {bobs_secret}


def test_each_page_carries_a_nonce_of_its_own_that_its_policy_allows(campaign):
    first, _ = visit(campaign.url)
    second, how = visit(campaign.url)
    assert how == "hit"
    for response in (first, second):
        (nonce,) = nonces(response)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert nonces(first) != nonces(second)


def test_a_members_page_is_never_cached_nor_served_from_the_cache(campaign):
    member = UserFactory(username="curious_quokka")
    signed_in = Client()
    signed_in.force_login(member)
    theirs, how = visit(campaign.url, signed_in)
    assert how is None and "curious_quokka" in theirs.content.decode()
    anonymous, how = visit(campaign.url)
    assert how == "stored" and "curious_quokka" not in anonymous.content.decode()
    theirs, how = visit(campaign.url, signed_in)
    assert how is None and "curious_quokka" in theirs.content.decode()


def test_a_visitor_with_a_session_is_never_served_from_the_cache(campaign):
    visit(campaign.url)
    visitor = Client()
    session = visitor.session  # e.g. a draft kept before signing in
    session["kept"] = "theirs"
    session.save()
    visitor.cookies["sessionid"] = session.session_key
    _, how = visit(campaign.url, visitor)
    assert how is None


def test_a_random_order_is_cached_for_its_seed(campaign):
    """The seed is in the address, not the session: one seed's page is everyone's."""
    _, how = visit(f"{campaign.url}?sort=random&seed=7")
    assert how == "stored"
    visitor = Client()
    _, how = visit(f"{campaign.url}?sort=random&seed=7", visitor)
    assert how == "hit"
    assert "sessionid" not in visitor.cookies


def test_a_message_for_the_visitor_is_shown_not_a_cached_page(campaign):
    visit(campaign.url)
    visitor = Client()
    visitor.post(
        f"{campaign.url}submit/",
        {"title": "Typed before signing in", "description": "A long enough description here."},
    )
    page, how = visit(campaign.url, visitor)
    assert how is None
    assert "Please sign in to submit your idea" in page.content.decode()


def test_a_new_idea_shows_at_once(campaign):
    visit(campaign.url)
    IdeaFactory(campaign=campaign, title="Split bills with friends")
    page, how = visit(campaign.url)
    assert how == "stored"
    assert "Split bills with friends" in page.content.decode()


def test_a_vote_shows_at_once(campaign):
    idea = Idea.objects.get(campaign=campaign)
    page, _ = visit(campaign.url)
    assert vote_count(page, idea) == 0
    voter = Client()
    voter.force_login(UserFactory())
    assert voter.post(f"{campaign.url}ideas/{idea.pk}/vote/", {"action": "vote"}).status_code in (
        200,
        302,
    )
    page, how = visit(campaign.url)
    assert how == "stored" and vote_count(page, idea) == 1


def test_unpublishing_a_campaign_is_a_404_at_once(campaign):
    assert visit(campaign.url)[0].status_code == 200
    campaign.unpublish()
    assert visit(campaign.url)[0].status_code == 404


def test_languages_and_htmx_fragments_are_kept_apart(campaign):
    spanish = translate(campaign, title="Ahorro", slug="ahorro")
    english_url, spanish_url = campaign.url, spanish.url
    visit(english_url)
    fragment, how = visit(english_url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="idea-list")
    assert how == "stored"
    assert "<html" not in fragment.content.decode()
    es, how = visit(spanish_url)
    assert how == "stored" and 'lang="es"' in es.content.decode()
    again, how = visit(english_url)
    assert how == "hit" and "<html" in again.content.decode()
    assert 'lang="en"' in again.content.decode()


def test_visits_are_counted_and_counting_them_keeps_the_cache(campaign):
    visit(campaign.url, **BROWSER)
    _, how = visit(campaign.url, **BROWSER)
    assert how == "hit"
    assert DailyVisits.objects.get().page_views == 2


def test_the_cache_is_off_at_zero_seconds(campaign, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visit(campaign.url)
    _, how = visit(campaign.url)
    assert how is None


def test_an_unknown_cookie_means_no_cached_page(campaign):
    visit(campaign.url)
    visitor = Client()
    visitor.cookies["brand_tracking"] = "abc"
    _, how = visit(campaign.url, visitor)
    assert how is None


class _Purges(BaseHTTPRequestHandler):
    seen = []

    def do_PURGE(self):  # noqa: N802 (HTTP method)
        self.seen.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_publishing_a_page_purges_it_from_the_frontend_cache(campaign, settings):
    server = HTTPServer(("127.0.0.1", 0), _Purges)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_port}",
            }
        }
        visit(campaign.url)
        campaign.title = "Savings, renamed"
        campaign.save_revision().publish()
    finally:
        server.shutdown()
        server.server_close()
    assert campaign.url in _Purges.seen
    page, how = visit(campaign.url)
    assert how == "stored" and "Savings, renamed" in page.content.decode()


def test_the_generation_moves_on_any_change_but_not_on_reads(campaign):
    visit(campaign.url, **BROWSER)
    before = pagecache.cache.get(pagecache.GENERATION_KEY)
    visit(campaign.url, **BROWSER)
    assert pagecache.cache.get(pagecache.GENERATION_KEY) == before
    IdeaFactory(campaign=campaign)
    assert pagecache.cache.get(pagecache.GENERATION_KEY) != before


def test_a_change_made_by_sql_shows_at_once(campaign):
    from django.db import connection

    idea = Idea.objects.get(campaign=campaign)
    visit(campaign.url)
    Idea.objects.filter(pk=idea.pk).update(title="Renamed by a bulk update")
    page, how = visit(campaign.url)
    assert how == "stored" and "Renamed by a bulk update" in page.content.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ideas_idea SET title = %s WHERE id = %s", ["Renamed by SQL", idea.pk]
        )
    page, how = visit(campaign.url)
    assert how == "stored" and "Renamed by SQL" in page.content.decode()


@pytest.mark.parametrize(
    ("sql", "counts"),
    [
        ("SELECT 1", False),
        ('SELECT "ideas_idea"."id" FROM "ideas_idea" FOR UPDATE', False),
        ('INSERT INTO "voting_vote" ("idea_id") VALUES (%s)', True),
        ("\n        INSERT INTO voting_vote (idea_id) VALUES (1) ON CONFLICT DO NOTHING", True),
        ('DELETE FROM "ideas_idea" WHERE "ideas_idea"."id" = %s', True),
        ("WITH v AS (INSERT INTO voting_vote VALUES (1) RETURNING 1) SELECT * FROM v", True),
        ("/* a comment */ UPDATE ideas_idea SET title = 'x'", True),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('UPDATE "insights_dailyvisits" SET "page_views" = ("page_views" + 1)', False),
        ('INSERT INTO "wagtailimages_rendition" ("file") VALUES (%s)', False),
    ],
)
def test_which_statements_start_a_new_page_generation(sql, counts):
    assert pagecache.changes_what_visitors_see(sql) is counts
