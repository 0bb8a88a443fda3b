"""Editors translate a campaign in Wagtail's admin: "Translate" makes the Spanish draft without
categories, its editor shows the rules and audience disabled, and the English campaign's editor
has a "Name in Spanish" for each category."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from campaigns.models import CampaignPage
from tests.factories import make_campaign, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-12345-x")
    client.force_login(admin)
    return client


def test_translate_in_the_admin_makes_a_draft_without_categories(admin_client):
    campaign = make_campaign(title="Savings", categories=("Budgeting", "Security"))
    translate(campaign.get_parent(), title="Campañas")  # "Translate" asks for the parents first
    spanish = Locale.objects.get(language_code="es")
    response = admin_client.post(
        reverse("simple_translation:submit_page_translation", args=[campaign.pk]),
        {"locales": [spanish.pk], "include_subtree": ""},
    )
    assert response.status_code == 302
    translation = CampaignPage.objects.get(translation_key=campaign.translation_key, locale=spanish)
    assert translation.categories.count() == 0
    draft = translation.get_latest_revision_as_object()
    assert list(draft.categories.all()) == []
    assert [c.name for c in translation.category_list] == ["Budgeting", "Security"]
    assert translation.get_parent().locale_id == spanish.pk


def test_a_translation_s_editor_shows_the_rules_disabled(admin_client):
    campaign = make_campaign(vote_budget=3)
    translation = translate(campaign, title="Ahorro")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[translation.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    for name in (*CampaignPage.RULE_FIELDS, "audience"):
        assert form.fields[name].disabled, name
    assert not form.fields["title"].disabled
    assert "This is a translation" in response.content.decode()


def test_the_source_s_editor_has_the_rules_and_a_spanish_name_per_category(admin_client):
    campaign = make_campaign(categories=("Budgeting",))
    category = campaign.categories.get()
    category.name_translations = {"es": "Presupuesto"}
    category.save()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[campaign.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.fields["vote_budget"].disabled
    child = form.formsets["categories"].forms[0]
    assert child.fields["name_es"].initial == "Presupuesto"
    assert "This is a translation" not in response.content.decode()


def test_the_category_form_stores_the_spanish_name():
    campaign = make_campaign(categories=("Budgeting",))
    category = campaign.categories.get()
    form_class = CampaignPage.get_edit_handler().get_form_class()
    category_form = form_class.formsets["categories"].form
    form = category_form(
        data={"name": "Budgeting", "name_es": " Presupuesto ", "slug": "budgeting"},
        instance=category,
    )
    assert form.is_valid(), form.errors
    form.save()
    category.refresh_from_db()
    assert category.name_translations == {"es": "Presupuesto"}
