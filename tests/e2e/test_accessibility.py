"""axe-core finds no serious or critical accessibility violation on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, sign_in

BLOCKING = {"serious", "critical"}


def blocking_violations(page):
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def describe(violations):
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}")
    return "\n".join(lines)


def _home(page, demo):
    return "/"


def _campaign(page, demo):
    return demo.url


def _idea_signed_in(page, demo):
    from tests.factories import UserFactory

    sign_in(page, UserFactory())  # shows the comment form and the like / report buttons
    return demo.idea_url("roundup")


def _idea_anonymous(page, demo):
    return demo.idea_url("roundup")


def _submit(page, demo):
    from tests.factories import UserFactory

    sign_in(page, UserFactory())
    return f"{demo.url}submit/"


def _signup(page, demo):
    return "/accounts/signup/"


def _campaign_spanish(page, demo):
    return f"/es{demo.url}"


def _moderation_decision(page, demo):
    """A moderator's decision on the member's comment, with the appeal form."""
    from moderation.models import ModerationReason
    from moderation.services import case_decide, case_hold
    from tests.factories import UserFactory, comment_on, moderator

    author = UserFactory()
    comment = comment_on(demo.ideas["roundup"], user=author, is_public=False)
    decision = case_decide(
        case=case_hold(item=comment, reason="new_member"),
        action="reject",
        actor=moderator(),
        reason=ModerationReason.objects.get(code="abusive"),
    )
    sign_in(page, author)
    return f"/moderation/decisions/{decision.pk}/"


def _flag_form(page, demo):
    from tests.factories import UserFactory

    sign_in(page, UserFactory())
    return f"/moderation/flag/idea/{demo.ideas['roundup'].pk}/"


def _signin(page, demo):
    return "/accounts/login/"


def _password_reset(page, demo):
    return "/accounts/password/reset/"


def _password_reset_done(page, demo):
    return "/accounts/password/reset/done/"


def _verification_sent(page, demo):
    return "/accounts/confirm-email/"


def _signup_spanish(page, demo):
    return "/es/accounts/signup/"


def _campaigns(page, demo):
    return "/campaigns/"


def _search(page, demo):
    return "/search/?q=savings"


def _roadmap(page, demo):
    """The roadmap with ideas in its columns (and their vote buttons), signed in."""
    from ideas.models import Stage
    from ideas.services import idea_move
    from tests.e2e.test_product_team_journey import pages_for_the_roadmap
    from tests.factories import UserFactory, team_member

    pages_for_the_roadmap()
    idea_move(
        idea=demo.ideas["roundup"],
        to_stage=Stage.objects.get(slug="planned"),
        actor=team_member(),
        note="Planned for the spring release.",
    )
    sign_in(page, UserFactory())
    return "/roadmap/"


def _leaderboard(page, demo):
    return f"{demo.url}leaderboard/"


def _profile(page, demo):
    return f"/members/{demo.members[0].username}/"


def _notifications(page, demo):
    sign_in(page, demo.members[0])
    return "/notifications/"


PAGES = {
    "home": _home,
    "campaign": _campaign,
    "campaign-es": _campaign_spanish,
    "idea": _idea_anonymous,
    "idea-signed-in": _idea_signed_in,
    "submit": _submit,
    "signup": _signup,
    "signup-es": _signup_spanish,
    "signin": _signin,
    "password-reset": _password_reset,
    "password-reset-done": _password_reset_done,
    "verification-sent": _verification_sent,
    "campaigns": _campaigns,
    "search": _search,
    "roadmap": _roadmap,
    "leaderboard": _leaderboard,
    "profile": _profile,
    "notifications": _notifications,
    "moderation-decision": _moderation_decision,
    "flag-form": _flag_form,
}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(new_context, demo, name, viewport):
    page = new_context(viewport=viewport).new_page()
    url = PAGES[name](page, demo)
    page.goto(url)
    expect(page.locator("main")).to_be_visible()
    if name == "submit":  # with the similar-ideas suggestion showing
        page.locator("#id_title").press_sequentially("Round up payments", delay=10)
        expect(page.locator("#similar-ideas a").first).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, f"{name} ({url}, {viewport['width']}px):\n{describe(violations)}"
