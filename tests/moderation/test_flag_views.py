"""Flagging from the site: with htmx (a fragment that says thanks and “Reported”), without
JavaScript (POST, redirect, message), 404 for what the member may not see, throttled."""

import pytest

from moderation.models import Flag
from tests.factories import IdeaFactory, SegmentFactory, UserFactory, comment_on, make_campaign

pytestmark = pytest.mark.django_db


def test_flagging_a_comment_with_htmx_answers_a_fragment(member_client, comment):
    url = f"/moderation/flag/comment/{comment.pk}/"
    answer = member_client.post(url, {"reason": "spam"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Reported" in html and "Thanks — a moderator will look at it." in html
    again = member_client.post(url, {"reason": "spam"}, HTTP_HX_REQUEST="true").content.decode()
    assert "You already reported this" in again
    assert Flag.objects.count() == 1


def test_without_javascript_it_redirects_with_a_message(member_client, idea):
    answer = member_client.post(f"/moderation/flag/idea/{idea.pk}/", {"reason": "off_topic"})
    assert answer.status_code == 302 and answer["Location"] == idea.url
    page = member_client.get(idea.url).content.decode()
    assert "Thanks — a moderator will look at it." in page and "Reported" in page


def test_the_idea_page_offers_the_report_form(member_client, comment):
    idea = comment.content_object
    html = member_client.get(idea.url).content.decode()
    assert f'action="/moderation/flag/idea/{idea.pk}/"' in html
    # A comment's widget holds its address, and a link to the report page for a browser
    # without JavaScript; the page's one comment report form is copied into it when opened.
    widget = f'data-flag-item="{comment.pk}" data-flag-url="/moderation/flag/comment/{comment.pk}/"'
    assert widget in html
    assert f'<a href="/moderation/flag/comment/{comment.pk}/">' in html
    assert html.count('<template id="flag-form-template-comment">') == 1
    assert html.count('class="flag-form"') == 2  # the idea's, and the one to copy
    assert 'id="flag-comment-__item__-spam"' in html
    assert "Report abuse" not in html


def test_the_report_page_without_javascript_shows_the_form(member_client, comment):
    html = member_client.get(f"/moderation/flag/comment/{comment.pk}/").content.decode()
    assert f'action="/moderation/flag/comment/{comment.pk}/"' in html
    assert f'id="flag-comment-{comment.pk}-spam"' in html


def test_other_needs_a_text_and_says_so(member_client, idea):
    url = f"/moderation/flag/idea/{idea.pk}/"
    answer = member_client.post(url, {"reason": "other"})
    assert answer.status_code == 400
    assert "Tell the moderators what is wrong." in answer.content.decode()
    fragment = member_client.post(url, {"reason": "other"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert '<details class="flag" open>' in html and "Tell the moderators what is wrong." in html
    assert not Flag.objects.exists()


def test_visitors_are_sent_to_sign_in(client, idea):
    answer = client.post(f"/moderation/flag/idea/{idea.pk}/", {"reason": "spam"})
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_outsiders_get_404(member_client, django_capture_on_commit_callbacks):
    campaign = make_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        campaign.audience.set([SegmentFactory()])
        campaign.save_revision().publish()
    idea = IdeaFactory(campaign=campaign)
    comment = comment_on(idea)
    assert (
        member_client.post(f"/moderation/flag/idea/{idea.pk}/", {"reason": "spam"}).status_code
        == 404
    )
    assert (
        member_client.post(
            f"/moderation/flag/comment/{comment.pk}/", {"reason": "spam"}
        ).status_code
        == 404
    )
    assert member_client.get(f"/moderation/flag/idea/{idea.pk}/").status_code == 404


def test_hidden_comments_and_ideas_cannot_be_reached(member_client, idea, settings):
    settings.MODERATION_HIDE_AT_FLAGS = 1
    comment = comment_on(idea)
    UserFactory()
    other = UserFactory()
    from moderation.services import item_flag

    item_flag(item=comment, member=other, reason="spam")
    assert member_client.get(f"/moderation/flag/comment/{comment.pk}/").status_code == 404


def test_flags_are_throttled(member_client, settings):
    settings.THROTTLE_ENABLED = True
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "flag": "2/h/member"}
    ideas = [IdeaFactory() for _ in range(3)]
    answers = [
        member_client.post(f"/moderation/flag/idea/{i.pk}/", {"reason": "spam"}) for i in ideas
    ]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert Flag.objects.count() == 2
