"""Who hears about what, in the site and by e-mail (tasks run in-process here; the real worker
is exercised in tests/notifications/test_delivery_faults.py)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from core import outbox
from ideas.models import Follow, Stage
from ideas.services import follow, idea_move, ideas_merge, unfollow
from notifications.digests import digests_prepare
from notifications.models import (
    EmailDelivery,
    Frequency,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from tests.factories import IdeaFactory, UserFactory
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return UserFactory(is_team=True, is_staff=True)


@pytest.fixture
def idea():
    return IdeaFactory()


def move(idea, slug, team, note, capture):
    with capture(execute=True):
        idea_move(idea=idea, to_stage=Stage.objects.get(slug=slug), actor=team, note=note)


def test_author_voters_and_followers_hear_about_a_stage_change(
    idea, team, django_capture_on_commit_callbacks
):
    follow(member=idea.author, idea=idea)
    voter, follower, bystander = UserFactory(), UserFactory(), UserFactory()
    vote_cast(idea=idea, member=voter)
    follow(member=follower, idea=idea)
    move(idea, "planned", team, "Coming in the spring release.", django_capture_on_commit_callbacks)

    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {idea.author_id, voter.pk, follower.pk}
    assert bystander.pk not in told and team.pk not in told
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [idea.author.email, voter.email, follower.email]
    )
    message = mail.outbox[0]
    assert "Planned" in message.subject and idea.title in message.subject
    assert "Coming in the spring release." in message.body
    html = message.alternatives[0][0]
    assert "Coming in the spring release." in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/")
    voter.refresh_from_db()
    assert voter.unread_notifications == 1


def test_an_unfollowed_idea_stays_quiet(idea, team, django_capture_on_commit_callbacks):
    follow(member=idea.author, idea=idea)
    unfollow(member=idea.author, idea=idea)
    move(idea, "planned", team, "", django_capture_on_commit_callbacks)
    assert not Notification.objects.exists() and not mail.outbox


def test_e_mails_are_in_the_members_language(idea, team, django_capture_on_commit_callbacks):
    idea.author.language = "es"
    idea.author.save()
    follow(member=idea.author, idea=idea)
    move(idea, "planned", team, "", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert "Planificada" in message.subject or "Planificado" in message.subject, message.subject
    assert "/es/campaigns/" in message.body


def test_each_member_chooses_per_kind_and_digests_collect_the_rest(
    idea, team, django_capture_on_commit_callbacks
):
    daily, weekly, none = UserFactory(), UserFactory(), UserFactory()
    for member, frequency in ((daily, "daily"), (weekly, "weekly"), (none, "none")):
        follow(member=member, idea=idea)
        NotificationPreference.objects.create(
            member=member, kind=NotificationKind.STAGE_CHANGED, frequency=frequency
        )
    move(idea, "planned", team, "", django_capture_on_commit_callbacks)
    move(idea, "in-progress", team, "", django_capture_on_commit_callbacks)
    assert not mail.outbox  # nobody wanted it right away
    assert Notification.objects.filter(recipient=none).count() == 2  # still in the site

    with django_capture_on_commit_callbacks(execute=True):
        digests_prepare("daily")
    assert [m.to for m in mail.outbox] == [[daily.email]]
    assert "2 updates" in mail.outbox[0].subject
    # Running it again in the same period sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        digests_prepare("daily")
    with django_capture_on_commit_callbacks(execute=True):
        digests_prepare("weekly")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([daily.email, weekly.email])
    with django_capture_on_commit_callbacks(execute=True):
        digests_prepare("weekly")
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(email_done=False).exists()


def test_comments_notify_followers_and_replies_notify_the_parent_author(
    idea, client, django_capture_on_commit_callbacks
):
    from django.contrib.contenttypes.models import ContentType

    follow(member=idea.author, idea=idea)
    commenter, replier = UserFactory(), UserFactory()
    ct = ContentType.objects.get_for_model(idea)

    def comment(user, text, parent=0):
        with django_capture_on_commit_callbacks(execute=True):
            return XtdComment.objects.create(
                content_type=ct,
                object_pk=str(idea.pk),
                site_id=1,
                user=user,
                comment=text,
                parent_id=parent,
                submit_date=timezone.now(),
            )

    first = comment(commenter, "Could this work for joint accounts too?")
    assert Follow.objects.filter(member=commenter, idea=idea).exists()
    assert Notification.objects.get(recipient=idea.author).kind == NotificationKind.COMMENT
    comment(replier, "Yes, joint accounts please.", parent=first.pk)
    reply = Notification.objects.get(recipient=commenter)
    assert reply.kind == NotificationKind.REPLY
    assert not Notification.objects.filter(recipient=replier).exists()
    # Comments on a followed idea go to the daily digest by default; replies right away.
    assert [m.to for m in mail.outbox] == [[commenter.email]]
    assert "replied to your comment" in mail.outbox[0].subject


def test_merge_tells_the_sources_followers(idea, team, django_capture_on_commit_callbacks):
    target = IdeaFactory(campaign=idea.campaign)
    follow(member=idea.author, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        ideas_merge(source=idea, target=target, actor=team, note="Same thing.")
    note = Notification.objects.get(recipient=idea.author)
    assert note.kind == NotificationKind.MERGED
    assert target.title in mail.outbox[0].subject


def test_unsubscribe_works_without_signing_in(
    idea, team, client, django_capture_on_commit_callbacks
):
    follow(member=idea.author, idea=idea)
    move(idea, "planned", team, "", django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/unsubscribe/\S+/)", mail.outbox[0].body)[1]
    page = client.get(link)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    # The page shows enough of the address to recognise it, not the address itself.
    assert idea.author.email.encode() not in page.content
    assert not NotificationPreference.objects.exists()  # GET alone changes nothing
    # A mail client's one-click POST (RFC 8058), no CSRF token, no session.
    response = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and b"no more e-mails" in response.content
    pref = NotificationPreference.objects.get(member=idea.author, kind="stage_changed")
    assert pref.frequency == Frequency.NONE
    mail.outbox.clear()
    move(idea, "in-progress", team, "", django_capture_on_commit_callbacks)
    assert not mail.outbox
    assert Notification.objects.filter(recipient=idea.author).count() == 2


def test_a_tampered_unsubscribe_link_is_refused(client, idea):
    response = client.get("/unsubscribe/not-a-token/")
    assert response.status_code == 400 and b"not valid" in response.content
    # Links in e-mails sent before the flows were merged go to the same view.
    response = client.get("/notifications/unsubscribe/not-a-token/")
    assert response.status_code == 400 and b"not valid" in response.content


def test_notification_centre_lists_marks_read_and_updates_the_badge(
    idea, team, client, django_capture_on_commit_callbacks
):
    follow(member=idea.author, idea=idea)
    move(idea, "planned", team, "Spring.", django_capture_on_commit_callbacks)
    move(idea, "in-progress", team, "", django_capture_on_commit_callbacks)
    client.force_login(idea.author)
    page = client.get(reverse("notifications:list"))
    html = page.content.decode()
    assert "moved to Planned" in html and "moved to In progress" in html
    assert 'class="badge">2<' in html
    first = Notification.objects.filter(recipient=idea.author).order_by("pk").first()
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"/ideas/{idea.pk}/")
    assert 'class="badge">1<' in client.get("/").content.decode()
    client.post(reverse("notifications:read"))
    assert 'class="badge"' not in client.get("/").content.decode()
    # Someone else's notification cannot be opened.
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("notifications:open", args=[first.pk])).status_code == 404


def test_notification_centre_needs_sign_in_and_is_paginated(
    idea, team, client, django_capture_on_commit_callbacks
):
    assert client.get(reverse("notifications:list")).status_code == 302
    follow(member=idea.author, idea=idea)
    # Back and forth along moves the default pipeline allows: 24 stage changes.
    slugs = ["planned", "in-progress"] * 12
    for slug in slugs:
        move(idea, slug, team, "", django_capture_on_commit_callbacks)
    client.force_login(idea.author)
    first = client.get(reverse("notifications:list")).content.decode()
    assert first.count('class="notification ') + first.count('class="notification"') == 20
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert second.count("notification__headline") == 4


def test_settings_page_saves_choices(client, member):
    client.force_login(member)
    page = client.get(reverse("notifications:settings"))
    assert page.status_code == 200
    data = {kind: "weekly" for kind, _label in NotificationKind.choices}
    data["comment"] = "bogus"
    bad = client.post(reverse("notifications:settings"), data)
    assert bad.status_code == 200 and b"field--error" in bad.content
    assert not NotificationPreference.objects.exists()
    data["comment"] = "none"
    client.post(reverse("notifications:settings"), data)
    assert NotificationPreference.objects.get(member=member, kind="comment").frequency == "none"
    assert NotificationPreference.objects.get(member=member, kind="reply").frequency == "weekly"


def a_while_later(delivery):
    """The backoff has passed: the delivery is due again."""
    EmailDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_a_failing_mail_server_is_retried_and_nothing_is_sent_twice(
    idea, team, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.support.mail.FailingBackend"
    follow(member=idea.author, idea=idea)
    move(idea, "planned", team, "", django_capture_on_commit_callbacks)
    delivery = EmailDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1 and "refused" in delivery.error
    # Retried after a minute, not at once.
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 50 < wait <= 60
    assert outbox.sweep(due_before=timezone.now(), only={"email"}) == {"email": 0}
    # The mail server comes back and the minute has passed: the sweep sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a_while_later(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep(due_before=timezone.now(), only={"email"}) == {"email": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep(due_before=timezone.now(), only={"email"}) == {"email": 0}
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.get().status == "sent"
    assert outbox.deliver("email", delivery.pk) is None and len(mail.outbox) == 1


def test_a_delivery_gives_up_after_repeated_failures(
    idea, team, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.support.mail.FailingBackend"
    follow(member=idea.author, idea=idea)
    move(idea, "planned", team, "", django_capture_on_commit_callbacks)
    delivery = EmailDelivery.objects.get()
    attempts = outbox.channel("email").max_attempts
    waits = []
    for _attempt in range(attempts - 2):
        a_while_later(delivery)
        assert outbox.deliver("email", delivery.pk) == "pending"
        delivery.refresh_from_db()
        waits.append(round((delivery.next_attempt_at - timezone.now()).total_seconds() / 60))
    assert waits == [2, 4, 8, 16]  # backoff after the 2nd, 3rd, 4th, 5th failures (minutes)
    a_while_later(delivery)
    assert outbox.deliver("email", delivery.pk) == "failed"
    assert EmailDelivery.objects.get().attempts == attempts
