"""Writes for the marketing content: the article approval workflow and the editors' rights."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from members.models import EDITORS_GROUP

from .models import SecondEditorApprovalTask

ARTICLE_WORKFLOW = "Article approval"  # created by cms/migrations/0004_article_approval_workflow
ARTICLE_TASK = "Second editor approval"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


@transaction.atomic
def article_workflow_get_or_create():
    """The "Article approval" workflow: a second editor of the Editors group approves."""
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    workflow, _ = Workflow.objects.get_or_create(name=ARTICLE_WORKFLOW, defaults={"active": True})
    if not workflow.workflow_tasks.exists():
        task = SecondEditorApprovalTask.objects.create(name=ARTICLE_TASK)
        task.groups.add(editors)
        workflow.workflow_tasks.create(task=task, sort_order=0)
    return workflow


@transaction.atomic
def news_index_setup(*, index):
    """Articles under `index` go through the approval workflow, and editors may add, edit and
    publish them (publishing is what approving does; submitting needs only edit)."""
    workflow = article_workflow_get_or_create()
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    editors = Group.objects.get(name=EDITORS_GROUP)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=editors, page=index, permission=permission)
    return workflow
