"""Navigation and footer as site settings: rendered by base.html, cached, and free of queries
once the cache is warm."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import SiteChrome
from tests.cms.factories import make_article, news_index, segment_of
from tests.factories import UserFactory, make_campaign, site_tree

pytestmark = pytest.mark.django_db


def header(html):
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def footer(html):
    return html.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]


def chrome(**fields):
    site_tree()
    return SiteChrome.objects.create(site=Site.objects.get(is_default_site=True), **fields)


def test_without_settings_the_header_keeps_the_default_links(client):
    site_tree()
    nav = header(client.get("/").content.decode())
    assert 'href="/campaigns/"' in nav and 'href="/roadmap/"' in nav
    assert 'href="/changelog/"' in nav and 'role="search"' in nav


def test_navigation_links_come_first_in_the_header(client):
    news = news_index()
    chrome(
        navigation=[
            ("link", {"label": "", "page": news, "url": ""}),
            ("link", {"label": "Help centre", "page": None, "url": "https://help.example.com/"}),
        ]
    )
    nav = header(client.get("/").content.decode())
    assert '<a href="/news/">News</a>' in nav
    assert '<a href="https://help.example.com/">Help centre</a>' in nav
    assert "/roadmap/" not in nav  # the defaults give way to the configured links
    assert nav.index("Help centre") > nav.index("News")
    assert nav.index("Help centre") < nav.index('role="search"')  # then search, account…
    assert "Sign in" in nav


def test_footer_shows_text_links_and_social_links(client):
    chrome(
        footer_text="Cocrea Bank, Madrid",
        footer_links=[("link", {"label": "Privacy", "page": None, "url": "https://x.test/p"})],
        social_links=[
            ("social", {"network": "mastodon", "url": "https://social.test/@bank", "label": ""})
        ],
    )
    html = footer(client.get("/").content.decode())
    assert "Cocrea Bank, Madrid" in html
    assert '<a href="https://x.test/p">Privacy</a>' in html
    assert 'href="https://social.test/@bank"' in html and ">Mastodon</a>" in html
    assert "Code of conduct" in html


def test_saving_the_settings_updates_the_cached_navigation(client):
    settings = chrome(navigation=[("link", {"label": "Old", "page": None, "url": "/old/"})])
    assert ">Old<" in header(client.get("/").content.decode())
    settings.navigation = [("link", {"label": "New", "page": None, "url": "/new/"})]
    settings.save()
    nav = header(client.get("/").content.decode())
    assert ">New<" in nav and ">Old<" not in nav


def test_renaming_a_linked_page_updates_the_navigation(client):
    news = news_index()
    chrome(navigation=[("link", {"label": "", "page": news, "url": ""})])
    assert ">News<" in header(client.get("/").content.decode())
    news.title = "Announcements"
    news.save_revision().publish()
    assert ">Announcements<" in header(client.get("/").content.decode())


def test_a_link_to_a_targeted_page_is_shown_only_to_its_audience(client):
    insider = UserFactory()
    article = make_article(title="Members lounge", audience=[segment_of(insider)])
    chrome(navigation=[("link", {"label": "", "page": article, "url": ""})])
    assert "Members lounge" not in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert "Members lounge" not in client.get("/").content.decode()
    client.force_login(insider)
    assert "Members lounge" in header(client.get("/").content.decode())


def test_a_link_that_is_neither_page_nor_url_is_refused():
    from django.core.exceptions import ValidationError

    from cms.blocks import LinkBlock

    block = LinkBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"label": "Nowhere", "page": None, "url": ""}))
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"label": "", "page": None, "url": "https://a.test/"}))


def queries(client, url):
    client.get(url)  # warm the caches, as in tests/test_query_counts.py
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/", "/news/", "/campaigns/"])
def test_settings_add_no_query_once_cached(client, url):
    make_campaign()
    news = news_index()
    make_article()
    without = queries(client, url)
    chrome(
        navigation=[
            ("link", {"label": "", "page": news, "url": ""}),
            ("link", {"label": "Help", "page": None, "url": "https://help.example.com/"}),
        ],
        footer_text="Hello",
        social_links=[("social", {"network": "x", "url": "https://x.test/bank", "label": ""})],
    )
    assert queries(client, url) == without <= 12
    assert "https://x.test/bank" in client.get(url).content.decode()


def test_the_settings_can_be_edited_in_the_admin(client):
    site_tree()
    site = Site.objects.get(is_default_site=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/settings/cms/sitechrome/{site.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Navigation" in response.content.decode() and "Footer" in response.content.decode()
