"""Segments in the Wagtail admin: the live preview, its permission, hand-picked members as
e-mail lists, the CSV import into “always include”, and the refresh after a save."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from segments.models import Segment, SegmentMembership
from tests.factories import SegmentFactory, UserFactory, team_member

pytestmark = pytest.mark.django_db

PREVIEW = "wagtailsnippets_segments_segment:members_preview"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def country_rule(values, operator="equals"):
    return ("attribute", {"attribute": "country", "operator": operator, "values": values})


def segment_form(rules=(), match="all", include="", exclude="", name="Spain", slug="spain"):
    return nested_form_data(
        {
            "name": name,
            "slug": slug,
            "description": "",
            "match": match,
            "rules": streamfield(list(rules)),
            "include_emails": include,
            "exclude_emails": exclude,
        }
    )


def test_preview_counts_the_members_the_unsaved_rules_match(admin_client):
    spanish = [UserFactory(country="ES") for _ in range(12)]
    UserFactory(country="FR")
    response = admin_client.post(reverse(PREVIEW), segment_form([country_rule("ES")]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 members match" in html
    # A sample of at most ten, with name and e-mail.
    assert html.count("<tr>") == 1 + 10
    assert spanish[-1].email in html and spanish[-1].public_name in html
    assert not Segment.objects.exists()


def test_preview_follows_match_any_include_and_exclude(admin_client):
    spain, france = UserFactory(country="ES"), UserFactory(country="FR")
    picked, banned = UserFactory(country="DE"), UserFactory(country="ES")
    data = segment_form(
        [country_rule("ES"), country_rule("FR")],
        match="any",
        include=picked.email,
        exclude=f"{banned.email}\nnobody@example.com",
    )
    html = admin_client.post(reverse(PREVIEW), data).content.decode()
    assert "3 members match" in html
    assert spain.email in html and france.email in html and picked.email in html
    assert banned.email not in html.split("</table>")[0].split("<table")[-1]
    assert "nobody@example.com" in html  # named as left out


def test_preview_asks_for_complete_rules(admin_client):
    html = admin_client.post(reverse(PREVIEW), segment_form([country_rule("")])).content.decode()
    assert "Complete the rules" in html


def test_preview_needs_the_permission_to_edit_segments(client):
    plain_editor = team_member()  # staff without segment permissions
    client.force_login(plain_editor)
    assert client.post(reverse(PREVIEW), segment_form([country_rule("ES")])).status_code == 403
    group = Group.objects.create(name="Segment editors")
    group.permissions.add(Permission.objects.get(codename="change_segment"))
    plain_editor.groups.add(group)
    assert client.post(reverse(PREVIEW), segment_form([country_rule("ES")])).status_code == 200


def test_preview_refuses_members_and_visitors(client):
    assert client.post(reverse(PREVIEW), segment_form()).status_code in (302, 403)
    client.force_login(UserFactory())
    assert client.post(reverse(PREVIEW), segment_form()).status_code in (302, 403)


def test_the_edit_page_has_the_live_preview_panel(admin_client):
    segment = SegmentFactory(rules=[country_rule("ES")])
    html = admin_client.get(
        reverse("wagtailsnippets_segments_segment:edit", args=[segment.pk])
    ).content.decode()
    assert "data-segment-preview" in html and reverse(PREVIEW) in html
    assert reverse("wagtailsnippets_segments_segment:import_include", args=[segment.pk]) in html


def test_saving_a_segment_sets_hand_picked_members_and_refreshes_its_membership(
    admin_client, django_capture_on_commit_callbacks
):
    spanish, picked, banned = (
        UserFactory(country="ES"),
        UserFactory(country="FR"),
        UserFactory(country="ES"),
    )
    data = segment_form(
        [country_rule("ES")], include=f" {picked.email.upper()} \n\n", exclude=banned.email
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtailsnippets_segments_segment:add"), data)
    assert response.status_code == 302
    segment = Segment.objects.get(slug="spain")
    assert list(segment.include.all()) == [picked]
    assert list(segment.exclude.all()) == [banned]
    assert set(
        SegmentMembership.objects.filter(segment=segment).values_list("member", flat=True)
    ) == {
        spanish.pk,
        picked.pk,
    }
    segment.refresh_from_db()
    assert segment.member_count == 2 and segment.refreshed_at is not None
    edit = admin_client.get(reverse("wagtailsnippets_segments_segment:edit", args=[segment.pk]))
    assert picked.email in edit.content.decode()


def test_unknown_hand_picked_e_mails_are_refused_with_a_clear_error(admin_client):
    data = segment_form(include="ghost@example.com\nnot-an-address")
    response = admin_client.post(reverse("wagtailsnippets_segments_segment:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No member has these e-mail addresses: ghost@example.com." in html
    assert "Not e-mail addresses: not-an-address." in html
    assert not Segment.objects.exists()


def test_a_member_cannot_be_both_included_and_excluded(admin_client):
    member = UserFactory()
    data = segment_form(include=member.email, exclude=member.email)
    response = admin_client.post(reverse("wagtailsnippets_segments_segment:add"), data)
    assert "both included and excluded" in response.content.decode()


def upload(text, name="members.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_csv_import_adds_members_to_include_and_reports_rows_that_did_not_match(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        by_email = UserFactory(email="ana@example.com")
        by_id = UserFactory(external_id="CRM-7")
        banned = UserFactory()
        gone = UserFactory(is_active=False)
        segment = SegmentFactory(exclude=[banned])
    csv_text = (
        "email,external_id\n"
        "ANA@example.com,\n"
        ",CRM-7\n"
        "ghost@example.com,\n"
        ",CRM-404\n"
        f"{banned.email},\n"
        f"{gone.email},\n"
    )
    url = reverse("wagtailsnippets_segments_segment:import_include", args=[segment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"file": upload(csv_text)})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.rows, report.matched, report.changed) == (6, 2, 2)
    assert [(p.line, p.value) for p in report.problems] == [
        (4, "ghost@example.com"),
        (5, "CRM-404"),
        (6, banned.email),
        (7, gone.email),
    ]
    html = response.content.decode()
    assert "No member has this e-mail address." in html
    assert "No member has this external customer id." in html
    assert "always exclude" in html
    assert set(segment.include.all()) == {by_email, by_id}
    segment.refresh_from_db()
    assert segment.member_count == 2


def test_csv_import_without_a_header_takes_the_first_column(admin_client):
    member = UserFactory(external_id="42")
    segment = SegmentFactory()
    url = reverse("wagtailsnippets_segments_segment:import_include", args=[segment.pk])
    response = admin_client.post(url, {"file": upload("42\nnobody@example.com\n")})
    assert [(p.line, p.value) for p in response.context["report"].problems] == [
        (2, "nobody@example.com")
    ]
    assert list(segment.include.all()) == [member]


def test_csv_import_refuses_a_file_that_is_not_utf8(admin_client):
    segment = SegmentFactory()
    url = reverse("wagtailsnippets_segments_segment:import_include", args=[segment.pk])
    bad = SimpleUploadedFile("m.csv", "josé@example.com".encode("latin-1"))
    response = admin_client.post(url, {"file": bad})
    assert "CSV UTF-8" in response.content.decode()


def test_csv_import_needs_the_permission_to_edit_segments(client):
    segment = SegmentFactory()
    member = UserFactory(email="a@example.com")
    client.force_login(team_member())  # staff without the permission
    url = reverse("wagtailsnippets_segments_segment:import_include", args=[segment.pk])
    # The admin answers a refusal with a redirect to its dashboard and a message.
    assert client.get(url).url == "/admin/"
    assert client.post(url, {"file": upload(f"{member.email}\n")}).url == "/admin/"
    assert not segment.include.exists()
