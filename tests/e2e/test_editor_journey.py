"""Journey 5 in a real browser: an editor creates a segment, writes an article targeted to it,
submits it for approval, a second editor approves it (which publishes it), and the first sends
it by e-mail; an insider sees it on the home page and gets the e-mail; an outsider sees
neither."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

SEGMENT = "Premium customers in Spain"
TITLE = "Free transfers to any Spanish bank"


def news_index_with_the_article_workflow():
    """The news index as installs have it: the "Article approval" workflow, editors add and
    edit articles and submit them (cms.services.news_index_setup)."""
    from cms.models import ArticleIndexPage, HomePage
    from cms.services import news_index_setup

    home = HomePage.objects.get()
    news = home.add_child(instance=ArticleIndexPage(title="News", slug="news"))
    news.save_revision().publish()
    news_index_setup(index=news)
    return news


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_journey(new_context, demo, screenshot_dir):
    from cms.models import ArticlePage
    from segments.models import Segment
    from tests.factories import UserFactory, editor, grant_group_permissions

    grant_group_permissions()
    news = news_index_with_the_article_workflow()
    now = timezone.now()
    insider = UserFactory(display_name="Inés", marketing_consent_at=now)
    outsider = UserFactory(display_name="Otto", marketing_consent_at=now)
    author = editor(display_name="Elena Editor")
    reviewer = editor(display_name="Rafa Reviewer")

    # 1. The editor creates the segment (hand-picked member) -----------------------------------
    admin = new_context().new_page()
    sign_in(admin, author)
    admin.goto("/admin/snippets/segments/segment/add/")
    admin.locator("#id_name").fill(SEGMENT)
    admin.locator("#id_slug").fill("premium-spain")
    admin.get_by_label("Always include").fill(insider.email)
    admin.get_by_role("button", name="Save").first.click()
    expect(admin.locator(".messages")).to_contain_text(SEGMENT)
    segment = Segment.objects.get(slug="premium-spain")
    assert list(segment.memberships.values_list("member_id", flat=True)) == [insider.pk]

    # 2. …writes an article for that segment and submits it: editors have no Publish button ---
    admin.goto(f"/admin/pages/add/cms/articlepage/{news.pk}/")
    admin.locator("#id_title").fill(TITLE)
    admin.locator("#id_summary").fill("Premium members in Spain now send money to any bank free.")
    admin.get_by_label(SEGMENT).check()
    admin.get_by_role("button", name="More actions").click()
    expect(admin.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    admin.get_by_role("button", name="Submit to Article approval").click()
    expect(admin.locator(".messages")).to_contain_text("submitted")
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live

    # …a second editor approves it, which publishes it ---------------------------------------
    review = new_context().new_page()
    sign_in(review, reviewer)
    review.goto(f"/admin/pages/{article.pk}/edit/")
    review.get_by_role("button", name="More actions").click()
    review.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(review.locator(".messages")).to_contain_text("has been updated")
    article.refresh_from_db()
    assert article.live and list(article.audience.all()) == [segment]

    # 3. …and sends it by e-mail: preview, then send --------------------------------------------
    admin.goto(f"/admin/mailings/new/?article={article.pk}")
    admin.get_by_role("button", name="Continue to preview").click()
    expect(admin.locator("main")).to_contain_text(TITLE)
    admin.get_by_role("link", name="Send…").click()
    admin.get_by_role("button", name=re.compile(r"^Send to 1 member$")).click()
    expect(admin.locator("main")).to_contain_text("1")
    admin.screenshot(path=screenshot_dir / "admin-mailing.png", full_page=True)

    # Wagtail's workflow e-mails (submitted, approved) name the article too: only the mailing.
    sent = [m for m in mail.outbox if TITLE in m.subject and "List-Unsubscribe" in m.extra_headers]
    assert [m.to for m in sent] == [[insider.email]]
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # 4. The insider sees it on the home page; the outsider sees neither page nor listing ------
    inside = new_context().new_page()
    sign_in(inside, insider)
    inside.goto("/")
    expect(inside.locator("main")).to_contain_text(TITLE)
    inside.get_by_role("link", name=TITLE).first.click()
    expect(inside.get_by_role("heading", level=1)).to_have_text(TITLE)

    outside = new_context().new_page()
    sign_in(outside, outsider)
    outside.goto("/")
    expect(outside.locator("main")).not_to_contain_text(TITLE)
    response = outside.goto(article.url)
    assert response.status == 404
    outside.goto("/news/")
    expect(outside.locator("main")).not_to_contain_text(TITLE)
    anonymous = new_context().new_page()
    assert anonymous.goto(article.url).status == 404
