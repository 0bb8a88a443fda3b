"""Writes for the marketing content: the article approval workflow and the editors' rights."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from members.models import EDITORS_GROUP, MODERATORS_GROUP

from .models import SecondEditorApprovalTask

ARTICLE_WORKFLOW = "Article approval"  # created by cms/migrations/0004_article_approval_workflow
ARTICLE_TASK = "Second editor approval"
# Editors add and edit articles and submit them for approval; they never publish directly:
# approving (a second editor, a moderator or a superuser) is what publishes
# (`cms.workflows.publish_approved`).
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
APPROVER_GROUPS = (EDITORS_GROUP, MODERATORS_GROUP)


@transaction.atomic
def article_workflow_get_or_create():
    """The "Article approval" workflow: a second editor of the Editors group (or a moderator)
    approves."""
    groups = [Group.objects.get_or_create(name=name)[0] for name in APPROVER_GROUPS]
    workflow, _ = Workflow.objects.get_or_create(name=ARTICLE_WORKFLOW, defaults={"active": True})
    if not workflow.workflow_tasks.exists():
        task = SecondEditorApprovalTask.objects.create(name=ARTICLE_TASK)
        task.groups.add(*groups)
        workflow.workflow_tasks.create(task=task, sort_order=0)
    return workflow


@transaction.atomic
def news_index_setup(*, index):
    """Articles under `index` go through the approval workflow; editors may add and edit them
    and submit them for approval, not publish them."""
    workflow = article_workflow_get_or_create()
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    editors = Group.objects.get(name=EDITORS_GROUP)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=editors, page=index, permission=permission)
    GroupPagePermission.objects.filter(
        group=editors, page=index, permission__codename="publish_page"
    ).delete()
    return workflow
