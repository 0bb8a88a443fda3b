"""Journey 7 in a real browser: three members flag a comment, it is hidden pending review; a
moderator hides it with a reason from the queue; the author is told why and appeals once; the
moderator overturns it, the comment is back and the author is told. Then, in a pre-moderated
campaign, the author sees their idea waiting for review, and a moderator approves one waiting
idea and rejects another through the queue."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

COMMENT = "You are all idiots for wanting this."
NOTE = "Please criticise ideas, not people."
APPEAL = "I was angry but I meant the idea, not the people. Sorry."


def flag_comment(page, url, comment_pk):
    page.goto(url)
    comment = page.locator(f"#c{comment_pk}")
    comment.get_by_text("Report", exact=True).click()
    comment.get_by_label("Abusive or offensive").check()
    comment.get_by_role("button", name="Send the report").click()
    expect(comment.get_by_text("Thanks — a moderator will look at it.")).to_be_visible()
    expect(comment.get_by_text(re.compile("^Reported"))).to_be_visible()


def decide_in_queue(page, row_text, action, reason=None, note=""):
    row = page.locator("tr").filter(has_text=row_text)
    row.locator("input[name=cases]").check()
    decide = page.get_by_role("group", name="Decide on the selected items")
    decide.get_by_label("Action").select_option(label=action)
    if reason:
        decide.get_by_label("Reason", exact=True).select_option(label=reason)
    if note:
        decide.get_by_label("Note to the author (optional)").fill(note)
    decide.get_by_role("button", name="Apply").click()
    expect(page.get_by_text(re.compile(r"item\(s\) decided"))).to_be_visible()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderation_journey(new_context, demo, settings):
    from django.contrib.contenttypes.models import ContentType
    from django_comments_xtd.models import XtdComment

    from campaigns.models import CampaignPage
    from ideas.models import Idea
    from ideas.services import idea_submit
    from moderation.models import Appeal, Case
    from notifications.models import Notification, NotificationKind
    from tests.factories import UserFactory, make_campaign, moderator

    settings.MODERATION_HIDE_AT_FLAGS = 3
    idea = demo.ideas["roundup"]
    url = demo.idea_url("roundup")
    author = UserFactory(display_name="Fede")
    comment = XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site_id=1,
        user=author,
        comment=COMMENT,
    )
    mod = moderator(display_name="Marta the moderator")

    # 1. Three members flag the comment; at the third it is hidden -------------------------
    for n in range(3):
        page = new_context().new_page()
        sign_in(page, UserFactory(display_name=f"Flagger {n}"))
        flag_comment(page, url, comment.pk)
    visitor = new_context().new_page()
    visitor.goto(url)
    expect(visitor.get_by_role("heading", name=idea.title)).to_be_visible()
    expect(visitor.get_by_text(COMMENT)).to_have_count(0)

    # 2. The moderator reviews it in the queue and hides it with a reason ------------------
    queue = new_context().new_page()
    sign_in(queue, mod)
    queue.goto("/admin/moderation/")
    expect(queue.get_by_text("3 flags")).to_be_visible()
    expect(queue.get_by_text("Abusive or offensive (3)")).to_be_visible()
    decide_in_queue(queue, COMMENT[:30], "Hide", "Abusive or disrespectful", NOTE)
    assert Case.objects.get(comment=comment).status == Case.Status.HIDDEN

    # 3. The author is told why (site and e-mail) and appeals once --------------------------
    [told] = [m for m in mail.outbox if m.to == [author.email]]
    assert "hid your comment" in told.subject and NOTE in told.body
    decision_path = re.search(r"https?://[^/\s]+(/moderation/decisions/\d+/)", told.body).group(1)
    mine = new_context().new_page()
    sign_in(mine, author)
    mine.goto("/notifications/")
    expect(mine.get_by_text(re.compile("A moderator hid your comment"))).to_be_visible()
    mine.goto(decision_path)
    expect(mine.get_by_text("Abusive or disrespectful")).to_be_visible()
    mine.get_by_label("Why should the moderators change their decision?").fill(APPEAL)
    mine.get_by_role("button", name="Send my appeal").click()
    expect(mine.get_by_text(re.compile("Your appeal was sent"))).to_be_visible()
    expect(mine.get_by_role("button", name="Send my appeal")).to_have_count(0)

    # 4. The moderator overturns the decision; the comment is back; the author is told ------
    queue.goto("/admin/moderation/?queue=appeals")
    expect(queue.get_by_text(APPEAL)).to_be_visible()
    queue.get_by_role("button", name="Overturn").click()
    expect(queue.get_by_text(re.compile("The appeal was decided"))).to_be_visible()
    assert Appeal.objects.get().status == Appeal.Status.OVERTURNED
    visitor.goto(url)
    expect(visitor.get_by_text(COMMENT)).to_be_visible()
    assert (
        Notification.objects.filter(recipient=author, kind=NotificationKind.MODERATION).count() == 2
    )
    assert any("accepted" in m.subject for m in mail.outbox if m.to == [author.email])

    # 5. A pre-moderated campaign: approve one waiting idea, reject another -----------------
    held_campaign = make_campaign(
        title="Name our new card", slug="name-our-card", moderation=CampaignPage.Moderation.HOLD
    )
    waiting = {
        title: idea_submit(
            campaign=held_campaign,
            author=author,
            data={"title": title, "description": "A name that says saving is easy for all."},
        )
        for title in ("Call it the Piggy card", "Call it the Buy-now card")
    }
    good, bad = waiting.values()
    mine.goto(f"{held_campaign.url}ideas/{good.pk}/")
    expect(mine.get_by_text(re.compile("^Waiting for review"))).to_be_visible()
    visitor.goto(f"{held_campaign.url}ideas/{good.pk}/")
    assert "Call it the Piggy card" not in visitor.content()

    queue.goto("/admin/moderation/?queue=pending")
    decide_in_queue(queue, good.title, "Approve")
    decide_in_queue(queue, bad.title, "Reject", "Off-topic", "We asked for names only.")
    assert Idea.objects.get(pk=good.pk).status == Idea.Status.PUBLISHED
    assert Idea.objects.get(pk=bad.pk).status == Idea.Status.REJECTED
    visitor.goto(held_campaign.url)
    expect(visitor.get_by_text(good.title)).to_be_visible()
    expect(visitor.get_by_text(bad.title)).to_have_count(0)
    subjects = [m.subject for m in mail.outbox if m.to == [author.email]]
    assert any("approved" in s for s in subjects) and any("not published" in s for s in subjects)
