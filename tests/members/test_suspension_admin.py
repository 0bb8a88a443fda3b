"""Moderators suspend and lift from the Wagtail admin: from a member in the member directory,
and the "Suspended members" list; the form validates the day (in the future) or "Permanently",
and the reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Suspension
from members.permissions import suspension_in_force
from tests.factories import UserFactory, editor, moderator, suspend, team_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(client):
    client.force_login(moderator())
    return client


def suspend_url(member):
    return f"/admin/member_directory/{member.pk}/suspend/"


def lift_url(member):
    return f"/admin/member_directory/{member.pk}/lift/"


def test_a_moderator_finds_the_suspend_button_on_a_member(mod_client):
    member = UserFactory()
    html = mod_client.get(f"/admin/member_directory/inspect/{member.pk}/").content.decode()
    assert suspend_url(member) in html
    suspend(member)
    html = mod_client.get(f"/admin/member_directory/inspect/{member.pk}/").content.decode()
    assert lift_url(member) in html


def test_a_moderator_sees_the_member_directory_and_the_suspended_column(mod_client):
    member = UserFactory(username="troll")
    suspend(member)
    response = mod_client.get("/admin/member_directory/")
    assert response.status_code == 200
    assert "Suspended" in response.content.decode()


def test_a_moderator_suspends_until_a_day_with_a_reason(mod_client):
    member = UserFactory()
    day = timezone.localdate() + timedelta(days=14)
    response = mod_client.post(
        suspend_url(member), {"until": day.isoformat(), "reason": "Spam links."}
    )
    assert response.status_code == 302 and response.url == "/admin/suspended_members/"
    suspension = suspension_in_force(member)
    assert timezone.localtime(suspension.until).date() == day
    assert suspension.reason == "Spam links."


def test_a_moderator_suspends_permanently(mod_client):
    member = UserFactory()
    mod_client.post(suspend_url(member), {"permanent": "on", "reason": "Hate speech."})
    assert suspension_in_force(member).until is None


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"reason": "Spam"}, "Choose the day the suspension ends, or “Permanently”."),
        ({"until": "2020-01-01", "reason": "Spam"}, "Choose a day in the future."),
        ({"permanent": "on", "reason": ""}, "Say why: the member reads the reason."),
        (
            {"permanent": "on", "until": "2099-01-01", "reason": "Spam"},
            "Choose a date or “Permanently”, not both.",
        ),
    ],
)
def test_the_form_explains_what_is_missing(mod_client, data, error):
    member = UserFactory()
    response = mod_client.post(suspend_url(member), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Suspension.objects.exists()


def test_today_is_not_in_the_future(mod_client):
    member = UserFactory()
    mod_client.post(
        suspend_url(member), {"until": timezone.localdate().isoformat(), "reason": "Spam"}
    )
    assert not Suspension.objects.exists()


def test_the_suspended_members_list_and_the_history(mod_client):
    current, former = UserFactory(display_name="Current Troll"), UserFactory(display_name="Ex")
    suspend(current)
    old = suspend(former, days=2)
    Suspension.objects.filter(pk=old.pk).update(until=timezone.now() - timedelta(days=1))
    html = mod_client.get("/admin/suspended_members/").content.decode()
    assert "Current Troll" in html and "Ex</a>" not in html
    html = mod_client.get("/admin/suspended_members/?show=all").content.decode()
    assert "Current Troll" in html and "Ex</a>" in html


def test_a_moderator_lifts_a_suspension(mod_client):
    member = UserFactory()
    suspend(member)
    response = mod_client.post(lift_url(member), {"note": "Apologised."})
    assert response.status_code == 302
    assert suspension_in_force(member) is None
    assert Suspension.objects.get().lift_note == "Apologised."


def test_staff_cannot_be_suspended_from_the_admin(mod_client):
    staff = UserFactory(is_staff=True)
    response = mod_client.post(suspend_url(staff), {"permanent": "on", "reason": "x"})
    assert response.status_code == 302
    assert not Suspension.objects.exists()


@pytest.mark.parametrize("who", ["editor", "member"])
def test_editors_and_members_cannot_suspend(client, who):
    member = UserFactory()
    client.force_login(editor() if who == "editor" else UserFactory())
    response = client.post(suspend_url(member), {"permanent": "on", "reason": "x"})
    assert response.status_code in (302, 403)
    assert not Suspension.objects.exists()
    response = client.get("/admin/suspended_members/")
    assert response.status_code in (302, 403)


def test_the_product_team_moderates_too(client):
    client.force_login(team_member())
    member = UserFactory()
    client.post(suspend_url(member), {"permanent": "on", "reason": "Spam"})
    assert suspension_in_force(member) is not None
    assert client.get("/admin/suspended_members/").status_code == 200
