"""Staff see member attributes in the admin (read-only) and import them from a CSV file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.models import ConsentRecord, User
from tests.factories import UserFactory, team_member

pytestmark = pytest.mark.django_db

IMPORT = reverse("member_directory:import")
INDEX = reverse("member_directory:index")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def upload(text):
    return SimpleUploadedFile("members.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_import_sets_attributes_by_email_or_external_id(admin_client):
    ana = UserFactory(email="ana@example.com")
    bob = UserFactory(external_id="CRM-2", company="Old Co")
    csv_text = (
        "email,external_id,country,tier,company,language\n"
        "Ana@Example.com,CRM-1,es,Premium,ACME,es\n"
        ",CRM-2,France,business,,\n"
    )
    response = admin_client.post(IMPORT, {"file": upload(csv_text)})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.rows, report.matched, report.changed, report.problems) == (2, 2, 2, [])
    ana.refresh_from_db()
    bob.refresh_from_db()
    assert (ana.country.code, ana.tier, ana.company, ana.language, ana.external_id) == (
        "ES",
        "premium",
        "ACME",
        "es",
        "CRM-1",
    )
    # An empty cell leaves the attribute as it was.
    assert (bob.country.code, bob.tier, bob.company) == ("FR", "business", "Old Co")


def test_rows_that_do_not_apply_are_reported_with_line_value_and_reason(admin_client):
    ana = UserFactory(email="ana@example.com", country="FR")
    UserFactory(external_id="TAKEN")
    csv_text = (
        "email,external_id,country,tier\n"
        "ghost@example.com,,ES,\n"
        ",NOPE,ES,\n"
        "ana@example.com,,Narnia,\n"
        "ana@example.com,,ES,platinum\n"
        "ana@example.com,TAKEN,,\n"
        ",,ES,\n"
    )
    response = admin_client.post(IMPORT, {"file": upload(csv_text)})
    problems = [(p.line, p.value) for p in response.context["report"].problems]
    assert problems == [
        (2, "ghost@example.com"),
        (3, "NOPE"),
        (4, "Narnia"),
        (5, "platinum"),
        (6, "TAKEN"),
        (7, ""),
    ]
    html = response.content.decode()
    for reason in (
        "No member has this e-mail address.",
        "No member has this external customer id.",
        "Unknown country",
        "Unknown tier: use one of Basic, Plus, Premium, Business.",
        "This external id already belongs to another member.",
        "neither an e-mail address nor an external id",
    ):
        assert reason in html
    ana.refresh_from_db()
    # A row with a problem changes nothing, not even its valid cells.
    assert ana.country.code == "FR" and ana.external_id is None


def test_import_never_gives_consent_without_an_explicit_yes(admin_client):
    quiet, willing = UserFactory(), UserFactory()
    csv_text = f"email,tier\n{quiet.email},plus\n"
    admin_client.post(IMPORT, {"file": upload(csv_text)})
    quiet.refresh_from_db()
    assert quiet.marketing_consent_at is None and not ConsentRecord.objects.exists()

    csv_text = f"email,marketing_consent\n{quiet.email},\n{willing.email},YES\n"
    response = admin_client.post(IMPORT, {"file": upload(csv_text)})
    assert response.context["report"].consents == 1
    quiet.refresh_from_db()
    willing.refresh_from_db()
    assert quiet.marketing_consent_at is None
    assert willing.marketing_consent_at is not None
    record = ConsentRecord.objects.get()
    assert (record.member, record.given, record.source) == (willing, True, "import")


def test_import_no_withdraws_consent_and_anything_else_is_refused(admin_client):
    member = UserFactory(marketing_consent_at=timezone.now())
    response = admin_client.post(
        IMPORT, {"file": upload(f"email,marketing_consent\n{member.email},maybe\n")}
    )
    assert [p.value for p in response.context["report"].problems] == ["maybe"]
    member.refresh_from_db()
    assert member.marketing_consent_at is not None
    admin_client.post(IMPORT, {"file": upload(f"email,marketing_consent\n{member.email},no\n")})
    member.refresh_from_db()
    assert member.marketing_consent_at is None
    assert ConsentRecord.objects.get(member=member).given is False


def test_import_refuses_unknown_columns_and_files_without_a_key_column(admin_client):
    response = admin_client.post(IMPORT, {"file": upload("email,contry\na@example.com,ES\n")})
    assert "Unknown column(s): contry." in response.content.decode()
    response = admin_client.post(IMPORT, {"file": upload("country,tier\nES,plus\n")})
    assert "“email” or “external_id”" in response.content.decode()


def test_import_reads_semicolon_separated_files(admin_client):
    member = UserFactory()
    admin_client.post(IMPORT, {"file": upload(f"email;country;company\n{member.email};ES;ACME\n")})
    member.refresh_from_db()
    assert (member.country.code, member.company) == ("ES", "ACME")


def test_imported_changes_queue_a_segment_refresh_per_member(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changed, unchanged = UserFactory(), UserFactory(country="ES")
    csv_text = f"email,country\n{changed.email},ES\n{unchanged.email},ES\n"
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(IMPORT, {"file": upload(csv_text)})
    queued = [c.args for c in callbacks if getattr(c, "args", ())[:1] == ("member_refresh_task",)]
    assert queued == [("member_refresh_task", (changed.pk,))]


def test_only_staff_with_the_permission_import(client):
    member = UserFactory()
    client.force_login(team_member())  # staff without the permission
    response = client.post(IMPORT, {"file": upload(f"email,country\n{member.email},ES\n")})
    assert response.status_code == 302 and response.url == "/admin/"
    member.refresh_from_db()
    assert not member.country


def test_staff_see_members_with_their_attributes_and_filter_them(admin_client):
    spain = UserFactory(country="ES", tier="premium", company="ACME", display_name="Ana")
    spain.marketing_consent_at = timezone.now()
    spain.save()
    france = UserFactory(country="FR", tier="basic", display_name="Bob")
    html = admin_client.get(INDEX).content.decode()
    assert "Ana" in html and "Bob" in html and "ACME" in html and "Spain" in html
    html = admin_client.get(INDEX, {"country": "ES"}).content.decode()
    assert spain.email in html and france.email not in html
    html = admin_client.get(INDEX, {"tier": "basic"}).content.decode()
    assert france.email in html and spain.email not in html
    html = admin_client.get(INDEX, {"consent": "yes"}).content.decode()
    assert spain.email in html and france.email not in html
    html = admin_client.get(INDEX, {"q": "acme"}).content.decode()
    assert spain.email in html and france.email not in html


def test_the_member_directory_is_read_only(admin_client):
    member = UserFactory(country="ES", company="ACME")
    inspect = reverse("member_directory:inspect", args=[member.pk])
    html = admin_client.get(inspect).content.decode()
    assert "ACME" in html and member.email in html
    assert "password" not in html.lower().split("<main", 1)[-1]
    assert admin_client.get(f"/admin/member_directory/edit/{member.pk}/").status_code == 404


def test_the_member_directory_is_closed_to_staff_without_the_permission(client):
    client.force_login(team_member())  # staff without the permission
    assert client.get(INDEX).status_code == 302
    assert User.objects.count() == 1
