"""No lost work: a member writes an idea, their session expires, they submit, sign in again, and
find the form filled with what they typed; nobody else ever sees it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, sign_in

TITLE = "Pause my savings rule in a month with big bills"
DESCRIPTION = (
    "Some months rent and insurance come together. Let me pause the round-ups for one month "
    "with a single tap, and restart them automatically."
)


def fill_the_form(page, demo):
    page.goto(f"{demo.url}submit/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill(DESCRIPTION)
    page.select_option("#id_category", label="Savings")
    page.locator("#id_tags").fill("rules, bills")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("viewport", "expire"),
    [(DESKTOP, "cookie"), (PHONE, "session row")],
    ids=["desktop-cookie-deleted", "phone-session-flushed"],
)
def test_the_draft_survives_an_expired_session(new_context, demo, viewport, expire):
    from django.contrib.sessions.models import Session

    from ideas.models import Idea
    from tests.factories import PASSWORD, UserFactory

    member = UserFactory(display_name="Marta")
    context = new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, member)
    fill_the_form(page, demo)

    # The session ends while the member writes.
    if expire == "cookie":
        context.clear_cookies(name="sessionid")
    else:
        # Every session ended on the server, as the session store ends one (its database
        # row and its cached copy, core.sessions).
        from importlib import import_module

        from django.conf import settings

        store = import_module(settings.SESSION_ENGINE).SessionStore
        for key in Session.objects.values_list("session_key", flat=True):
            store(session_key=key).delete()
    page.get_by_role("button", name="Submit idea").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator(".messages")).to_contain_text("what you typed is kept")
    assert not Idea.objects.filter(title=TITLE).exists()

    form = page.locator("form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(member.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(f"{demo.url}submit/") + r"\?draft="))
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_description")).to_have_value(DESCRIPTION)
    expect(page.locator("#id_category option:checked")).to_have_text("Savings")
    expect(page.locator("#id_tags")).to_have_value("rules, bills")
    expect(page.locator(".messages")).to_contain_text("Here is what you typed")
    draft_url = page.url

    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert Idea.objects.get(title=TITLE).author == member

    # Someone else with the same link, in their own browser, gets an empty form.
    other = new_context(viewport=viewport).new_page()
    sign_in(other, UserFactory())
    other.goto(draft_url)
    expect(other.locator("#id_title")).to_have_value("")
    expect(other.locator("#id_description")).to_have_value("")
