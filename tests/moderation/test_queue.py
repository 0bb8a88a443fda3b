"""The moderation queue in the Wagtail admin: who reaches it, what it lists, its filters, the
actions one at a time and in bulk, and a page whose queries do not grow with the items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import Idea
from moderation.models import Case, Decision, FlagReason
from moderation.services import appeal_submit, case_decide, case_hold, item_flag
from tests.factories import (
    IdeaFactory,
    UserFactory,
    comment_on,
    editor,
    make_campaign,
    moderator,
    team_member,
)

pytestmark = pytest.mark.django_db
QUEUE = "/admin/moderation/"


def held(**fields):
    idea = IdeaFactory(status=Idea.Status.PENDING, **fields)
    case_hold(item=idea, reason="campaign")
    return idea


def flagged_comment(n=1, reason=FlagReason.ABUSIVE):
    comment = comment_on(IdeaFactory())
    for _ in range(n):
        item_flag(item=comment, member=UserFactory(), reason=reason)
    return comment


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 302),
        ("member", 302),
        ("editor", 302),
        ("moderator", 200),
        ("product_team", 200),
        ("superuser", 200),
    ],
)
def test_who_reaches_the_queue(client, role, status):
    user = {
        "anonymous": None,
        "member": UserFactory(),
        "editor": editor(),
        "moderator": moderator(),
        "product_team": team_member(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }[role]
    if user:
        client.force_login(user)
    answer = client.get(QUEUE)
    assert answer.status_code == status
    if role in ("editor", "moderator", "superuser"):
        # The admin menu (rendered as the sidebar's JSON) offers the queue to moderators only.
        menu = client.get("/admin/").content.decode()
        assert ("admin/moderation/" in menu.replace("\\u002F", "/")) == (status == 200)


def test_the_queue_lists_held_ideas_and_flagged_comments_with_reasons(client, mod):
    idea = held()
    comment = flagged_comment(2, FlagReason.SPAM)
    client.force_login(mod)
    html = client.get(QUEUE).content.decode()
    assert idea.title in html and comment.comment in html
    assert "2 flags" in html and "Spam or advertising (2)" in html
    assert "Pre-moderated campaign" in html
    assert "items reviewed" in html and "median time to decision" in html


def test_filters_by_kind_campaign_reason_and_age(client, mod):
    campaign = make_campaign()
    idea = held(campaign=campaign)
    comment = flagged_comment(1, FlagReason.PERSONAL_DATA)
    old = held()
    Case.objects.filter(idea=old).update(opened_at=timezone.now() - timedelta(days=10))
    client.force_login(mod)

    def listed(query):
        return client.get(QUEUE, query).content.decode()

    assert comment.comment in listed({"kind": "comment"})
    assert idea.title not in listed({"kind": "comment"})
    assert idea.title in listed({"campaign": campaign.pk})
    assert old.title not in listed({"campaign": campaign.pk})
    assert comment.comment in listed({"reason": "personal_data"})
    assert idea.title not in listed({"reason": "personal_data"})
    assert old.title in listed({"age": "7"}) and idea.title not in listed({"age": "7"})
    assert idea.title in listed({"queue": "pending"})
    assert idea.title not in listed({"queue": "flagged"})


def test_approve_and_reject_through_the_queue(client, mod, reason):
    approved, rejected = held(), held()
    client.force_login(mod)
    cases = {c.idea_id: c.pk for c in Case.objects.all()}
    answer = client.post(
        f"{QUEUE}decide/", {"case": cases[approved.pk], "action": "approve", "next": QUEUE}
    )
    assert answer.status_code == 302
    refused = client.post(f"{QUEUE}decide/", {"case": cases[rejected.pk], "action": "reject"})
    assert refused.status_code == 302
    assert Idea.objects.get(pk=rejected.pk).status == Idea.Status.PENDING
    client.post(
        f"{QUEUE}decide/",
        {"case": cases[rejected.pk], "action": "reject", "reason": reason.pk, "note": "Duplicate"},
    )
    assert Idea.objects.get(pk=approved.pk).status == Idea.Status.PUBLISHED
    assert Idea.objects.get(pk=rejected.pk).status == Idea.Status.REJECTED
    assert Decision.objects.get(action="reject").note == "Duplicate"


def test_bulk_hide(client, mod, reason):
    comments = [flagged_comment() for _ in range(3)]
    client.force_login(mod)
    ids = list(Case.objects.values_list("pk", flat=True))
    client.post(f"{QUEUE}decide/", {"cases": ids, "action": "hide", "reason": reason.pk})
    assert Case.objects.filter(status=Case.Status.HIDDEN).count() == 3
    html = client.get(QUEUE, {"queue": "hidden"}).content.decode()
    assert all(c.comment in html for c in comments)


def test_appeals_land_in_the_queue_and_are_decided(client, mod, reason):
    idea = held()
    decision = case_decide(
        case=Case.objects.get(idea=idea), action="reject", actor=mod, reason=reason
    )
    appeal = appeal_submit(decision=decision, author=idea.author, text="Please reconsider")
    client.force_login(mod)
    assert "Please reconsider" in client.get(QUEUE).content.decode()
    assert "Please reconsider" in client.get(QUEUE, {"queue": "appeals"}).content.decode()
    client.post(f"{QUEUE}appeals/{appeal.pk}/", {"action": "overturn"})
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.PUBLISHED
    assert "Please reconsider" not in client.get(QUEUE).content.decode()


def test_a_comments_history_view_shows_the_audit_log(client, mod, reason):
    flagged_comment()
    case = Case.objects.get()
    case_decide(case=case, action="hide", actor=mod, reason=reason, note="Rude")
    client.force_login(mod)
    html = client.get(f"{QUEUE}cases/{case.pk}/history/").content.decode()
    assert "Hidden by a moderator" in html and "Rude" in html


def queue_queries(client):
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE).status_code == 200
    return len(captured)


def test_queue_queries_do_not_grow_with_items(client, mod, reason):
    held()
    flagged_comment(2)
    client.force_login(mod)
    few = queue_queries(client)
    for _ in range(4):
        held()
        flagged_comment(2)
    idea = held()
    decision = case_decide(
        case=Case.objects.get(idea=idea), action="reject", actor=mod, reason=reason
    )
    appeal_submit(decision=decision, author=idea.author, text="Look again")
    assert queue_queries(client) == few


def test_only_who_may_triage_gets_a_link_to_the_idea_workspace(client, mod):
    """A plain moderator reads the idea in the queue (no link to a workspace they cannot
    open); the product team's queue links to it."""
    idea = held()
    workspace = f"/admin/ideas/edit/{idea.pk}/"
    client.force_login(mod)
    html = client.get(QUEUE).content.decode()
    assert idea.title in html and workspace not in html
    assert client.get(workspace).status_code != 200
    client.force_login(team_member())
    assert workspace in client.get(QUEUE).content.decode()
