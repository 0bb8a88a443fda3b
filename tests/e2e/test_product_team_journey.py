"""Journey 4 in a real browser: the product team filters the pipeline, merges a duplicate, moves
an idea to *planned* with a note; the author hears about it in the site and by e-mail; the
roadmap shows the idea; once shipped, the changelog and its feed do."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

PLANNED_NOTE = "Planned for the spring release: round-ups into any savings pot."
SHIPPED_NOTE = "Shipped in version 4.2 for iOS and Android."


def pages_for_the_roadmap():
    from cms.models import HomePage
    from ideas.models import ChangelogPage, RoadmapPage

    home = HomePage.objects.get()
    for page in (
        RoadmapPage(title="Roadmap", slug="roadmap"),
        ChangelogPage(title="Changelog", slug="changelog"),
    ):
        home.add_child(instance=page)
        page.save_revision().publish()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_product_team_journey(new_context, demo, screenshot_dir):
    from ideas.models import Idea
    from ideas.services import follow
    from notifications.models import Notification
    from tests.factories import IdeaFactory, UserFactory, team_member
    from voting.services import vote_cast

    pages_for_the_roadmap()
    roundup = demo.ideas["roundup"]
    author = roundup.author
    follow(member=author, idea=roundup)
    duplicate = IdeaFactory(
        campaign=demo.campaign,
        author=demo.members[3],
        title="Round up my card payments into savings",
        description="Round every card payment up and put the difference in my savings pot.",
        category=roundup.category,
    )
    overlap, newcomer = demo.members[0], UserFactory(display_name="Elena")
    vote_cast(idea=duplicate, member=overlap)  # also voted for the round-up idea
    vote_cast(idea=duplicate, member=newcomer)
    assert Idea.objects.get(pk=roundup.pk).vote_count == 4
    team = team_member(display_name="Tomás from the team")

    # 1. The team filters the pipeline ---------------------------------------------------------
    admin = new_context().new_page()
    sign_in(admin, team)
    admin.goto(f"/admin/ideas/?campaign={demo.campaign.pk}&ordering=-vote_count")
    admin.get_by_role("button", name=re.compile("filter", re.I)).first.click()
    admin.get_by_role("button", name="Minimum votes").click()
    admin.get_by_label("Minimum votes").fill("2")
    admin.get_by_label("Minimum votes").press("Tab")
    rows = admin.locator("table.listing tbody tr")
    expect(rows).to_have_count(3)  # round-up (4), lock (2), duplicate (2); not split or goals
    expect(admin.locator("table.listing")).to_contain_text(roundup.title)
    expect(admin.locator("table.listing")).not_to_contain_text(demo.ideas["split"].title)
    admin.screenshot(path=screenshot_dir / "admin-ideas.png", full_page=True)

    # 2. It merges the duplicate into the round-up idea, picked from the similar ideas ---------
    admin.get_by_role("link", name=duplicate.title).click()
    expect(admin.get_by_role("heading", name=re.compile("Merge this idea"))).to_be_visible()
    admin.get_by_role(
        "link", name=re.compile(rf"Merge into this one\W+{re.escape(roundup.title)}")
    ).click()
    expect(admin.get_by_text(f"Merging into “{roundup.title}”")).to_be_visible()
    admin.get_by_label("Why are they the same? (public note)").fill(
        "Same request as the round-up idea: votes and followers moved there."
    )
    admin.get_by_role("button", name="Merge", exact=True).click()
    # A confirmation page says what will happen; only its Confirm merges.
    expect(admin.locator("main")).to_contain_text("1 member voted for both")
    admin.get_by_role("button", name="Confirm merge").click()
    expect(admin.locator(".messages")).to_contain_text("merged")
    roundup.refresh_from_db()
    assert roundup.vote_count == 5  # 4 + the newcomer; the overlapping voter counts once

    # 3. It moves the round-up idea to Planned with a public note ------------------------------
    admin.goto(f"/admin/ideas/edit/{roundup.pk}/")
    move = admin.locator("#move")
    move.get_by_label("Move to").select_option(label="Planned")
    move.get_by_label("Public note").fill(PLANNED_NOTE)
    move.get_by_role("button", name="Move / respond").click()
    expect(admin.locator(".messages")).to_contain_text("Planned")
    assert Idea.objects.get(pk=roundup.pk).stage.slug == "planned"

    # 4. The author sees the notification in the site, and the e-mail arrived ------------------
    to_author = [m for m in mail.outbox if m.to == [author.email]]
    assert [m.subject for m in to_author] == [f"“{roundup.title}” moved to Planned"]
    assert PLANNED_NOTE in to_author[0].body
    assert to_author[0].extra_headers["List-Unsubscribe"].startswith("<http")
    voters_told = {m.to[0] for m in mail.outbox if "moved to Planned" in m.subject}
    assert {overlap.email, newcomer.email} <= voters_told  # the newcomer followed via the merge

    member = new_context().new_page()
    sign_in(member, author)
    unread = Notification.objects.filter(recipient=author, read_at__isnull=True).count()
    assert unread >= 1  # earlier comments on ideas the author follows are there too
    badge = member.locator(".notifications-link .badge")
    expect(badge).to_have_text(f"{unread} unread")
    member.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(member.get_by_role("heading", name="Notifications")).to_be_visible()
    member.get_by_role("button", name=re.compile("moved to Planned")).click()
    expect(member).to_have_url(re.compile(rf"/ideas/{roundup.pk}/$"))
    expect(member.locator("main")).to_contain_text(PLANNED_NOTE)  # the official response
    if unread > 1:
        expect(badge).to_have_text(f"{unread - 1} unread")
    else:
        expect(badge).to_have_count(0)
    planned = Notification.objects.get(recipient=author, kind="stage_changed")
    assert planned.read_at is not None

    # The duplicate's page still works and points to the round-up idea.
    member.goto(f"{demo.url}ideas/{duplicate.pk}/")
    expect(member.locator("main")).to_contain_text("Merged into")
    expect(member.locator("main").get_by_role("link", name=roundup.title).first).to_be_visible()

    # 5. The roadmap shows it in the Planned column --------------------------------------------
    visitor = new_context().new_page()
    visitor.goto("/roadmap/")
    planned = visitor.locator("section", has=visitor.get_by_role("heading", name="Planned"))
    expect(planned).to_contain_text(roundup.title)
    expect(planned).to_contain_text("5")
    visitor.screenshot(path=screenshot_dir / "roadmap.png", full_page=True)

    # 6. Shipped from the board; the changelog and its feed show it ----------------------------
    admin.goto(f"/admin/ideas/board/?campaign={demo.campaign.pk}")
    card = admin.locator(f"#idea-{roundup.pk}")
    card.get_by_label("Move to").select_option(label="Shipped")
    card.get_by_text("Add a public note").click()
    card.get_by_label("Public note").fill(SHIPPED_NOTE)
    card.get_by_role("button", name=re.compile("Move")).click()
    expect(admin.locator(".messages")).to_contain_text("Shipped")
    expect(admin).to_have_url(re.compile(rf"#idea-{roundup.pk}$"))
    expect(admin.locator(f"#idea-{roundup.pk}")).to_be_focused()

    visitor.goto("/changelog/")
    expect(visitor.locator("main")).to_contain_text(roundup.title)
    expect(visitor.locator("main")).to_contain_text(SHIPPED_NOTE)
    feed = visitor.request.get("/feeds/changelog/")
    assert feed.ok and "xml" in feed.headers["content-type"]
    assert f"<title>{roundup.title}</title>" in feed.text()
    visitor.goto("/roadmap/")
    shipped = visitor.locator("section", has=visitor.get_by_role("heading", name="Shipped"))
    expect(shipped).to_contain_text(roundup.title)
