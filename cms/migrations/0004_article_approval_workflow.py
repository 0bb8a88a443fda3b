"""The "Article approval" workflow: one Group approval task for the Editors group, so that a
second editor approves an article before it goes live. Assigned to the article index when one
exists (seed_demo assigns it to the one it creates)."""

from django.db import migrations

WORKFLOW = "Article approval"
TASK = "Editor approval"
EDITORS_GROUP = "Editors"  # members.models.EDITORS_GROUP, created by members 0002_groups


def create_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ArticleIndexPage = apps.get_model("cms", "ArticleIndexPage")

    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
        task.groups.add(editors)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for index in ArticleIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Task.objects.filter(name=TASK, workflow_tasks__workflow__name=WORKFLOW).delete()
    Workflow.objects.filter(name=WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_body_blocks_and_site_chrome"),
        ("members", "0002_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
