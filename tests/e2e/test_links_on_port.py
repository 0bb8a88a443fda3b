"""Links in e-mails open this site: with SITE_URL on the live server's address (a port other
than 8000, as with `PORT=8110 make run`), the link in a notification e-mail opens the idea in
the browser, and the e-mail's settings link opens the member's notification settings."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notification_e_mail_link_opens_the_idea_on_the_sites_port(
    new_context, demo, live_server, settings
):
    from ideas.models import Stage
    from ideas.services import follow, idea_move
    from tests.factories import UserFactory, team_member

    assert urlsplit(live_server.url).port != 8000
    settings.SITE_URL = live_server.url
    idea = demo.ideas["lock"]
    follower = UserFactory(display_name="Elena")
    follow(member=follower, idea=idea)
    mail.outbox.clear()

    idea_move(
        idea=idea,
        to_stage=Stage.objects.get(slug="planned"),
        actor=team_member(),
        note="Coming with the next release.",
    )

    messages = [m for m in mail.outbox if m.to == [follower.email]]
    assert messages, [m.to for m in mail.outbox]
    links = LINK.findall(messages[0].body)
    assert links and all(link.startswith(live_server.url + "/") for link in links), links
    idea_link = next(link for link in links if f"/ideas/{idea.pk}/" in link)

    page = new_context().new_page()
    page.goto(idea_link)  # the address exactly as the e-mail has it
    expect(page).to_have_url(re.compile("^" + re.escape(live_server.url) + ".*/ideas/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(idea.title)
    expect(page.get_by_text("Coming with the next release.").first).to_be_visible()

    settings_link = next(link for link in links if "/notifications/" in link)
    sign_in(page, follower)
    page.goto(settings_link)
    expect(page).to_have_url(re.compile("^" + re.escape(settings_link)))
    assert page.locator("form").count() >= 1
