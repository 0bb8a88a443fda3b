"""Articles go live only after a second editor approves them ("Article approval" workflow on
the news index, a second-editor approval task for the Editors and Moderators groups), through
the Wagtail admin. Editors cannot publish directly: they submit; approving publishes."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import ArticlePage
from cms.services import ARTICLE_WORKFLOW, news_index_setup
from members.models import EDITORS_GROUP, MODERATORS_GROUP
from tests.cms.factories import make_article, news_index
from tests.factories import UserFactory, moderator

pytestmark = pytest.mark.django_db


def editor(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def draft():
    index = news_index()
    news_index_setup(index=index)
    return make_article(index=index, title="Draft announcement", slug="draft", publish=False)


def submit_for_moderation(client, article):
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "date": "2026-03-01",
            "summary": "Ready for review.",
            "body": streamfield([("paragraph", rich_text("<p>Reviewed text.</p>"))]),
            "comments": inline_formset([]),
            "action-submit": "Submit for moderation",
        }
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)


def test_the_migration_creates_the_article_approval_workflow():
    workflow = Workflow.objects.get(name=ARTICLE_WORKFLOW)
    task = workflow.tasks.specific().get()
    assert type(task).__name__ == "SecondEditorApprovalTask"
    assert set(task.groups.values_list("name", flat=True)) == {EDITORS_GROUP, MODERATORS_GROUP}


def test_the_news_index_uses_the_workflow_and_editors_may_edit_but_not_publish(draft):
    assert draft.get_workflow().name == ARTICLE_WORKFLOW
    permissions = draft.permissions_for_user(editor())
    assert permissions.can_edit() and not permissions.can_publish()
    assert draft.get_parent().permissions_for_user(editor()).can_add_subpage()


def test_an_editor_sees_no_publish_button_only_submit(client, draft):
    client.force_login(editor())
    html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_a_forged_publish_by_an_editor_does_not_publish(client, draft):
    client.force_login(editor())
    data = nested_form_data(
        {
            "title": draft.title,
            "slug": draft.slug,
            "date": "2026-03-01",
            "summary": "Sneaking it out.",
            "body": streamfield([("paragraph", rich_text("<p>Unreviewed.</p>"))]),
            "comments": inline_formset([]),
            "action-publish": "Publish",
        }
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert not draft.live


def test_an_article_goes_live_only_when_a_second_editor_approves(client, draft):
    author, reviewer = editor(username="editor_a"), editor(username="editor_b")

    client.force_login(author)
    response = submit_for_moderation(client, draft)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert not draft.live
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == author
    assert client.get("/news/draft/").status_code == 404

    # The editor who submitted it cannot approve it: no approve action, and a forged POST fails.
    task_state = state.current_task_state
    assert task_state.task.specific.get_actions(draft, author) == []
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
        {"comment": "Approving my own work."},
    )
    draft.refresh_from_db()
    assert not draft.live

    client.force_login(reviewer)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
        {"comment": "Looks good."},
    )
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.live and draft.summary == "Ready for review."
    assert TaskState.objects.get(pk=task_state.pk).finished_by == reviewer
    client.logout()
    assert "Reviewed text." in client.get("/news/draft/").content.decode()


def test_a_member_outside_the_editors_group_cannot_approve(client, draft):
    author = editor()
    client.force_login(author)
    submit_for_moderation(client, draft)
    task_state = WorkflowState.objects.get(object_id=str(draft.pk)).current_task_state

    client.force_login(UserFactory(is_staff=True))
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    assert not ArticlePage.objects.get(pk=draft.pk).live


def test_a_moderator_approves_and_the_article_is_published(client, draft):
    client.force_login(editor())
    submit_for_moderation(client, draft)
    task_state = WorkflowState.objects.get(object_id=str(draft.pk)).current_task_state
    client.force_login(moderator())
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
        {"comment": "Fine by the community team."},
    )
    assert ArticlePage.objects.get(pk=draft.pk).live


def test_the_data_migration_takes_publish_away_from_editors_on_existing_installs(draft):
    """An install set up before: editors had publish on the news index."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    index = draft.get_parent()
    editors = Group.objects.get(name=EDITORS_GROUP)
    GroupPagePermission.objects.create(
        group=editors, page=index, permission=Permission.objects.get(codename="publish_page")
    )
    assert draft.permissions_for_user(editor()).can_publish()
    import_module("cms.migrations.0007_editors_submit_articles").editors_submit_only(apps, None)
    assert not ArticlePage.objects.get(pk=draft.pk).permissions_for_user(editor()).can_publish()
