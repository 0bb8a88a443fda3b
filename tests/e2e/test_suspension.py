"""A moderator suspends a member in the Wagtail admin; the member, trying to post an idea, reads
that they are suspended and until when, and nothing is stored; the moderator lifts it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_moderator_suspends_a_member_who_then_cannot_post(new_context, demo, screenshot_dir):
    from datetime import timedelta

    from ideas.models import Idea
    from members.permissions import suspension_in_force
    from tests.factories import UserFactory, moderator

    troll = UserFactory(display_name="Trevor Troll")
    mod = moderator(display_name="Maria Moderator")
    day = timezone.localdate() + timedelta(days=21)

    # 1. The moderator finds the member in the member directory and suspends them ------------
    admin = new_context().new_page()
    sign_in(admin, mod)
    admin.goto(f"/admin/member_directory/inspect/{troll.pk}/")
    admin.get_by_role("link", name="Suspend", exact=True).click()
    admin.get_by_label("Suspended until").fill(day.isoformat())
    admin.get_by_label("Reason").fill("Spam links in five comments.")
    admin.get_by_role("button", name="Suspend", exact=True).click()
    expect(admin.locator(".messages")).to_contain_text("is suspended and told by e-mail")
    expect(admin.locator("main")).to_contain_text("Trevor Troll")
    expect(admin.locator("main")).to_contain_text("Spam links in five comments.")
    admin.screenshot(path=screenshot_dir / "admin-suspended-members.png", full_page=True)
    assert suspension_in_force(troll) is not None

    # 2. The member tries to post an idea and reads why they cannot -------------------------
    member = new_context().new_page()
    sign_in(member, troll)
    member.goto(f"{demo.url}submit/")
    notice = member.locator("main .notice")
    expect(notice).to_contain_text("Your account is suspended until")
    expect(notice).to_contain_text(f"{day.day} {day:%B %Y}: you can read but not post.")
    expect(member.locator("input[name=title]")).to_have_count(0)
    # …and voting, without a reload, says the same.
    member.goto(demo.idea_url("lock"))
    member.locator(".vote__button").click()
    expect(member.locator(".vote__error")).to_contain_text("Your account is suspended until")
    assert not Idea.objects.filter(author=troll).exists()
    assert not troll.votes.exists()

    # 3. The moderator lifts the suspension; the member may post again ----------------------
    admin.goto("/admin/suspended_members/")
    admin.get_by_role("link", name="Lift", exact=True).click()
    admin.get_by_role("button", name="Lift the suspension").click()
    expect(admin.locator(".messages")).to_contain_text("is lifted")
    member.goto(f"{demo.url}submit/")
    expect(member.locator("input[name=title]")).to_be_visible()
    assert suspension_in_force(troll) is None
