"""Who an e-mail campaign goes to: members with marketing consent who have not unsubscribed,
active, with an address, in the chosen segments, and never outside a restricted article's
audience."""

import pytest

from mailings.models import EmailCampaign, MarketingDelivery
from mailings.selectors import campaign_recipients
from mailings.services import campaign_send
from members.models import ConsentRecord
from members.services import marketing_consent_set
from tests.factories import UserFactory, editor

from .factories import consenting_member, make_article, make_campaign, make_segment

pytestmark = pytest.mark.django_db


def recipients(campaign):
    return set(campaign_recipients(campaign))


def test_only_members_with_marketing_consent_are_recipients():
    segment = make_segment()
    yes = consenting_member(segment)
    no = consenting_member(segment, marketing_consent_at=None)
    assert recipients(make_campaign(segments=[segment])) == {yes}
    assert no not in recipients(make_campaign())


def test_members_who_unsubscribed_are_not_recipients():
    segment = make_segment()
    stays, leaves = consenting_member(segment), consenting_member(segment)
    marketing_consent_set(member=leaves, given=False, source=ConsentRecord.Source.UNSUBSCRIBE)
    assert recipients(make_campaign(segments=[segment])) == {stays}


def test_inactive_members_and_members_without_an_address_are_not_recipients():
    segment = make_segment()
    ok = consenting_member(segment)
    consenting_member(segment, is_active=False)
    consenting_member(segment, email="")
    assert recipients(make_campaign(segments=[segment])) == {ok}


def test_members_outside_the_chosen_segments_are_not_recipients():
    chosen, other = make_segment(), make_segment()
    inside, also_inside = consenting_member(chosen), consenting_member(chosen, other)
    consenting_member(other)
    consenting_member()
    assert recipients(make_campaign(segments=[chosen])) == {inside, also_inside}


def test_without_segments_the_article_audience_is_used():
    audience, other = make_segment(), make_segment()
    insider = consenting_member(audience)
    consenting_member(other)
    article = make_article(audience=[audience])
    assert recipients(make_campaign(article)) == {insider}


def test_without_segments_or_audience_every_consenting_member_gets_it():
    a = consenting_member(make_segment())
    b = consenting_member()
    consenting_member(marketing_consent_at=None)
    assert recipients(make_campaign()) == {a, b}


def test_a_restricted_article_never_goes_to_outsiders_whatever_segments_are_chosen():
    audience, chosen = make_segment(), make_segment()
    both = consenting_member(audience, chosen)
    consenting_member(chosen)  # chosen by the editor, but may not see the article
    staff = consenting_member(chosen, is_staff=True)  # staff see it on the site, not by e-mail
    article = make_article(audience=[audience])
    found = recipients(make_campaign(article, segments=[chosen]))
    assert found == {both}
    assert staff not in found


def test_send_inserts_one_queued_delivery_per_recipient(django_capture_on_commit_callbacks):
    segment = make_segment()
    members = [consenting_member(segment) for _ in range(3)]
    consenting_member()
    campaign = make_campaign(segments=[segment])
    with django_capture_on_commit_callbacks(execute=False):
        assert campaign_send(campaign=campaign, actor=editor()) == 3
    campaign.refresh_from_db()
    assert campaign.status == EmailCampaign.Status.SENDING
    assert campaign.recipients == 3 and campaign.started_at
    deliveries = MarketingDelivery.objects.filter(campaign=campaign)
    assert {d.member for d in deliveries} == set(members)
    assert {d.status for d in deliveries} == {MarketingDelivery.Status.PENDING}


def test_the_recipients_are_computed_in_one_query(django_assert_num_queries):
    audience = make_segment()
    article = make_article(audience=[audience])
    campaign = make_campaign(article, segments=[audience])
    for _ in range(5):
        consenting_member(audience)
    UserFactory()
    queryset = campaign_recipients(campaign, segment_ids=[audience.pk])
    with django_assert_num_queries(1):
        assert len(list(queryset)) == 5
