"""Journey 6 (and the reward half of journey 8) in a real browser: a community manager signs
in, opens the dashboard, filters by a campaign and a segment, reads the figures and exports a
CSV; a member whose idea the team ships and whose comment it marks helpful (both in the idea's
workspace) earns points, sees their level and badge on their profile and appears on the campaign
leaderboard."""

import csv
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def community_manager():
    from django.contrib.auth.models import Group, Permission

    from insights.permissions import COMMUNITY_MANAGERS_GROUP
    from tests.factories import UserFactory

    group, _ = Group.objects.get_or_create(name=COMMUNITY_MANAGERS_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    manager = UserFactory(display_name="Marta, community manager")
    manager.groups.add(group)
    return manager


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_community_manager_journey(new_context, demo, screenshot_dir):
    from ideas.models import Stage
    from insights import selectors
    from segments.models import SegmentMembership
    from tests.factories import SegmentFactory, comment_on, team_member, total_points

    roundup, lock = demo.ideas["roundup"], demo.ideas["lock"]
    bruno = roundup.author
    team = team_member(display_name="Tomás from the team")
    premium = SegmentFactory(name="Premium customers")
    SegmentMembership.objects.create(segment=premium, member=bruno)
    answer = comment_on(lock, bruno, "The widget could also show the last three payments.")
    manager = community_manager()

    # 1. The team ships Bruno's idea and marks his comment helpful, in its workspace -----------
    workspace = new_context().new_page()
    sign_in(workspace, team)
    for stage, note in (("Planned", "Planned for spring."), ("Shipped", "Out in version 4.2.")):
        workspace.goto(f"/admin/ideas/edit/{roundup.pk}/")
        move = workspace.locator("#move")
        move.get_by_label("Move to").select_option(label=stage)
        move.get_by_label("Public note").fill(note)
        move.get_by_role("button", name="Move / respond").click()
        expect(workspace.locator(".messages")).to_contain_text(stage)
    roundup.refresh_from_db()
    assert roundup.stage.role == Stage.Role.SHIPPED
    workspace.goto(f"/admin/ideas/edit/{lock.pk}/")
    discussion = workspace.locator(f"#workspace-c{answer.pk}")
    expect(discussion).to_contain_text("the last three payments")
    discussion.get_by_role("button", name=re.compile("Mark helpful")).click()
    expect(workspace.locator(f"#workspace-c{answer.pk}")).to_contain_text(
        "Marked helpful by the team"
    )

    # 2. The community manager opens the dashboard, filters and reads the figures ---------------
    desk = new_context(accept_downloads=True).new_page()
    sign_in(desk, manager)
    desk.goto("/admin/")
    desk.get_by_role("link", name="Community dashboard").first.click()
    expect(desk.get_by_role("heading", name="Community dashboard")).to_be_visible()
    desk.get_by_label("Campaign", exact=True).select_option(str(demo.campaign.pk))
    desk.get_by_label("Segment", exact=True).select_option(str(premium.pk))
    desk.get_by_role("button", name="Apply filters").click()
    expect(desk).to_have_url(re.compile(rf"campaign={demo.campaign.pk}.*segment={premium.pk}"))
    scope = selectors.Scope(campaign=demo.campaign, segment=premium)
    members_table = desk.locator("table[data-panel=members]")
    for label, figure in (
        ("Ideas", selectors.ideas_count(scope)),
        ("Votes", selectors.votes_count(scope)),
        ("Comments", selectors.comments_count(scope)),
    ):
        row = members_table.locator("tr", has=desk.locator("td", has_text=re.compile(f"^{label}$")))
        expect(row.locator("td.number")).to_have_text(str(figure))
    ideas_by_bruno = selectors.ideas_count(scope)
    assert ideas_by_bruno >= 1
    expect(desk.locator("#panel-pipeline")).to_contain_text("Conversion to shipped")
    expect(desk.get_by_role("img", name="Members and activity")).to_be_visible()
    desk.screenshot(path=screenshot_dir / "community-dashboard.png", full_page=True)

    with desk.expect_download() as download_info:
        desk.get_by_role("link", name="Export “Members and activity” as CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(exported))
    assert rows[0] == ["Figure", "Value"]
    assert ["Ideas", str(ideas_by_bruno)] in rows

    # The idea page shows the team's mark on the comment.
    workspace.goto(demo.idea_url("lock"))
    expect(workspace.locator(f"#c{answer.pk}")).to_contain_text("Marked helpful by the team")

    # 3. Bruno sees his level and badges, and the leaderboard -----------------------------------
    points = total_points(bruno)
    assert points >= 10 + 25 + 50 + 15  # published, planned, shipped, helpful
    member = new_context().new_page()
    sign_in(member, bruno)
    member.goto(bruno.get_absolute_url())
    expect(member.locator(".badge--level, .badge--ambassador").first).to_contain_text(
        re.compile("Level|Ambassador")
    )
    badges = member.get_by_role("list", name="Badges")
    expect(badges).to_contain_text("Shipped")
    member.goto(f"{demo.url}leaderboard/")
    expect(member.get_by_role("main")).to_contain_text(bruno.display_name)
