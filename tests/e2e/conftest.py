"""Browser tests: pytest-django's live server driven by Playwright (sync API) and Debian's Chromium.

Every test here is marked `e2e` and skipped when /usr/bin/chromium is missing (tests/conftest.py).
Never run `playwright install`: the system Chromium is used through `executable_path`.

The live server runs in a thread of this process, so `django.core.mail.outbox` sees the e-mails
the site sends, and test code can read the database between browser steps (never while a request
is in flight: with SQLite in memory both threads share one connection).

Screenshots for the README are written to docs/screenshots/ only when UPDATE_SCREENSHOTS=1;
otherwise they go to a temporary directory, so a plain test run leaves the working tree clean.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the e2e tests.

    While Playwright's sync API is alive it keeps an event loop running in the test thread, and
    Django's ORM refuses to run in such a thread unless DJANGO_ALLOW_ASYNC_UNSAFE is set (it is
    safe: the loop only drives the browser). The variable is set for exactly that time, so it
    does not leak into other tests (`check --deploy` rejects it, subprocesses would inherit it).
    Package scope: torn down as soon as the run leaves tests/e2e."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts (separate cookie jars: one per person) against the live server."""
    contexts = []

    def open_context(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def screenshot_dir(tmp_path):
    if os.environ.get("UPDATE_SCREENSHOTS", "").lower() in {"1", "true", "yes"}:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path


def sign_in(page, user, password=None):
    """Sign in through the login form, as a member would."""
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    form = page.locator("form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(password or PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def confirm_link(message):
    """The path of the e-mail confirmation link in an allauth e-mail."""
    match = re.search(r"https?://[^/\s]+(/(?:es/)?accounts/confirm-email/[^\s/]+/)", message.body)
    assert match, f"no confirmation link in: {message.body!r}"
    return match.group(1)


@dataclass
class Demo:
    campaign: object
    ideas: dict = field(default_factory=dict)
    members: list = field(default_factory=list)

    @property
    def url(self):
        return self.campaign.url

    def idea_url(self, key):
        return f"{self.campaign.url}ideas/{self.ideas[key].pk}/"


@pytest.fixture
def demo():
    """One open campaign with a few ideas that have real votes and comments.

    "roundup" is the most voted (and what a similar title should find), "lock" the only one in
    the Security category, "goals" the newest."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sites.models import Site
    from django.utils import timezone
    from django_comments_xtd.models import XtdComment
    from wagtail.rich_text import RichText

    from ideas.models import Idea
    from tests.factories import IdeaFactory, UserFactory, make_campaign
    from voting.services import vote_cast

    campaign = make_campaign(
        title="How should our mobile app help you save?",
        slug="save-with-the-app",
        summary="Tell us what would make saving a habit. The best ideas go on the roadmap.",
        categories=("Savings", "Security", "Payments"),
        intro=[
            (
                "paragraph",
                RichText(
                    "<p>Saving is easier when the app does the remembering. What would help you "
                    "put money aside, keep it safe and reach your goals?</p>"
                    "<p>Vote for the ideas you want most: the product team reviews the top ones "
                    "every month and puts the best on the <b>public roadmap</b>.</p>"
                ),
            )
        ],
    )
    savings, security, payments = campaign.category_list
    members = [UserFactory(display_name=name) for name in ("Ana", "Bruno", "Carmen", "Diego")]
    now = timezone.now()
    spec = {
        "roundup": (
            "Round up card payments into a savings pot",
            "Every time I pay by card, round the amount up to the next euro and move the change "
            "into a pot. Small amounts add up without thinking about it.",
            savings,
            4,
            2,
            9,
        ),
        "lock": (
            "Freeze my card from the lock screen",
            "When I lose my card I panic and need three taps to find the freeze switch. "
            "Put it on the lock screen widget.",
            security,
            2,
            1,
            6,
        ),
        "split": (
            "Split a bill with friends by sending a link",
            "After dinner, send a link that friends can pay from any bank, and see who already "
            "paid.",
            payments,
            1,
            0,
            3,
        ),
        "goals": (
            "Savings goals with a picture and a deadline",
            "Let me name a goal, add a photo and a date, and tell me how much to put aside each "
            "week to make it.",
            savings,
            0,
            0,
            1,
        ),
    }
    demo = Demo(campaign=campaign, members=members)
    for key, (title, description, category, votes, comments, days_ago) in spec.items():
        idea = IdeaFactory(
            campaign=campaign,
            author=members[days_ago % len(members)],
            title=title,
            description=description,
            category=category,
            created_at=now - timedelta(days=days_ago),
        )
        idea.campaign = campaign
        for voter in members[:votes]:
            vote_cast(idea=idea, member=voter)
        for n in range(comments):
            XtdComment.objects.create(
                content_type=ContentType.objects.get_for_model(Idea),
                object_pk=str(idea.pk),
                site=Site.objects.get_current(),
                user=members[n],
                comment="Yes please, I would use this every week.",
            )
        idea.refresh_from_db()
        demo.ideas[key] = idea
    return demo
