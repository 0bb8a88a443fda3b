"""The product team marks a comment helpful from the idea page: the comment shows it, its author
earns the points and is told, in the site and by e-mail."""

import pytest
from django.core import mail

from core.exceptions import NotAllowed
from notifications.models import Notification, NotificationKind
from reputation.models import HelpfulMark, ReputationSettings
from reputation.services import comment_mark_helpful, comment_unmark_helpful
from segments.models import Segment
from tests.factories import IdeaFactory, UserFactory, comment_on, make_campaign, total_points

pytestmark = pytest.mark.django_db

D = ReputationSettings()


def helpful_url(idea, comment):
    return f"{idea.get_absolute_url()}comments/{comment.pk}/helpful/"


def test_marking_helpful_earns_points_and_tells_the_author(
    member, team, django_capture_on_commit_callbacks
):
    comment = comment_on(IdeaFactory(), member)
    with django_capture_on_commit_callbacks(execute=True):
        comment_mark_helpful(comment=comment, actor=team)
    assert total_points(member) == D.comment_helpful
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == NotificationKind.HELPFUL
    assert any("helpful" in m.subject or "helpful" in m.body for m in mail.outbox)


def test_marking_twice_counts_once_and_unmarking_takes_the_points_back(member, team):
    comment = comment_on(IdeaFactory(), member)
    comment_mark_helpful(comment=comment, actor=team)
    comment_mark_helpful(comment=comment, actor=team)
    assert total_points(member) == D.comment_helpful
    assert comment_unmark_helpful(comment=comment, actor=team)
    assert total_points(member) == 0
    assert not HelpfulMark.objects.exists()


def test_members_cannot_mark_comments_helpful(member):
    comment = comment_on(IdeaFactory(), UserFactory())
    with pytest.raises(NotAllowed, match="product team"):
        comment_mark_helpful(comment=comment, actor=member)


def test_the_team_cannot_mark_on_an_idea_it_may_not_see():
    campaign = make_campaign()
    campaign.audience.add(Segment.objects.create(name="Premium", slug="premium"))
    campaign.save_revision().publish()
    comment = comment_on(IdeaFactory(campaign=campaign), UserFactory())
    with pytest.raises(NotAllowed):
        comment_mark_helpful(comment=comment, actor=UserFactory(is_team=True))


def test_the_team_marks_from_the_idea_page_without_javascript(client, team, member):
    idea = IdeaFactory()
    comment = comment_on(idea, member)
    client.force_login(team)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Mark helpful" in page
    response = client.post(helpful_url(idea, comment), {"action": "mark"})
    assert response.status_code == 302 and response["Location"].endswith(f"#c{comment.pk}")
    assert "Marked helpful by the team" in client.get(idea.get_absolute_url()).content.decode()


def test_the_team_marks_with_htmx_and_gets_the_mark_back(client, team, member):
    idea = IdeaFactory()
    comment = comment_on(idea, member)
    client.force_login(team)
    response = client.post(helpful_url(idea, comment), {"action": "mark"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Marked helpful by the team" in response.content.decode()
    response = client.post(helpful_url(idea, comment), {"action": "unmark"}, HTTP_HX_REQUEST="true")
    assert "Marked helpful by the team" not in response.content.decode()


def test_visitors_see_the_mark_but_no_button(client, team, member):
    idea = IdeaFactory()
    comment = comment_on(idea, member)
    comment_mark_helpful(comment=comment, actor=team)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Marked helpful by the team" in page and "Mark helpful" not in page


def test_a_member_posting_by_hand_is_refused(client, member):
    idea = IdeaFactory()
    comment = comment_on(idea, UserFactory())
    client.force_login(member)
    assert client.post(helpful_url(idea, comment), {"action": "mark"}).status_code == 403
    assert not HelpfulMark.objects.exists()
