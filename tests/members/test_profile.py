"""A member edits their own profile: attributes, interests and an explicit marketing opt-in
whose every change is recorded."""

import re

import pytest

from members.models import ConsentRecord
from tests.factories import InterestFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/members/settings/"


def consent_box(html):
    return re.search(r'<input[^>]*name="marketing_consent"[^>]*>', html).group(0)


def test_the_consent_box_is_never_ticked_for_a_member_who_did_not_opt_in(member_client):
    html = member_client.get(URL).content.decode()
    assert "Send me news and announcements by e-mail" in html
    assert "checked" not in consent_box(html)


def test_ticking_the_box_gives_consent_with_its_time_and_a_record(member_client, member):
    response = member_client.post(URL, {"marketing_consent": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.marketing_consent_at is not None
    record = ConsentRecord.objects.get(member=member)
    assert record.given and record.source == ConsentRecord.Source.PROFILE
    assert "checked" in consent_box(member_client.get(URL).content.decode())


def test_saving_again_with_the_box_ticked_records_nothing_new(member_client, member):
    member_client.post(URL, {"marketing_consent": "on"})
    member.refresh_from_db()
    first = member.marketing_consent_at
    member_client.post(URL, {"marketing_consent": "on", "company": "ACME"})
    member.refresh_from_db()
    assert member.marketing_consent_at == first
    assert ConsentRecord.objects.filter(member=member).count() == 1


def test_unticking_withdraws_consent_and_records_it(member_client, member):
    member_client.post(URL, {"marketing_consent": "on"})
    member_client.post(URL, {})
    member.refresh_from_db()
    assert member.marketing_consent_at is None
    given, withdrawn = ConsentRecord.objects.filter(member=member).order_by("at", "pk")
    assert given.given and not withdrawn.given
    assert withdrawn.source == ConsentRecord.Source.PROFILE


def test_member_edits_country_language_company_and_interests(member_client, member):
    savings, cards = InterestFactory(name="Savings"), InterestFactory(name="Cards")
    response = member_client.post(
        URL,
        {
            "display_name": "  Ana   García ",
            "country": "ES",
            "language": "es",
            "company": " ACME  Corp ",
            "interests": [savings.pk, cards.pk],
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.country.code, member.language, member.company) == (
        "Ana García",
        "ES",
        "es",
        "ACME Corp",
    )
    assert set(member.interests.all()) == {savings, cards}
    assert not ConsentRecord.objects.filter(member=member).exists()


def test_the_tier_and_external_id_are_not_the_members_to_edit(member_client, member):
    member.tier, member.external_id = "basic", "CRM-1"
    member.save()
    member_client.post(URL, {"tier": "business", "external_id": "CRM-2", "country": "ES"})
    member.refresh_from_db()
    assert (member.tier, member.external_id, member.country.code) == ("basic", "CRM-1", "ES")
    html = member_client.get(URL).content.decode()
    assert 'name="tier"' not in html and "Your customer plan: Basic" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "xx"}, "Choose one of the languages in the list."),
        ({"country": "ZZ"}, "Choose a country from the list."),
        ({"company": "x" * 121}, "Keep the company name under 120 characters."),
        ({"display_name": "!!!"}, "Use at least one letter or digit in your name."),
        ({"interests": ["999999"]}, "Choose interests from the list."),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(member_client, member, data, message):
    InterestFactory(name="Savings")
    response = member_client.post(URL, {"country": "FR", **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Your profile was not saved" in html
    member.refresh_from_db()
    assert member.country.code != "FR"


def test_one_profile_save_queues_one_segment_refresh(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member = UserFactory()
        savings = InterestFactory(name="Savings")
    client.force_login(member)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(URL, {"country": "ES", "interests": [savings.pk], "marketing_consent": "on"})
    refreshes = [c for c in callbacks if getattr(c, "args", ())[:1] == ("member_refresh_task",)]
    assert len(refreshes) == 1
    assert refreshes[0].args == ("member_refresh_task", (member.pk,))


def test_the_settings_page_needs_a_signed_in_member(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url
