"""The article workflow holds: editors lose the publish permission on the indexes that use the
"Article approval" workflow (they submit for approval; approving publishes), and moderators
may approve too."""

from django.db import migrations


def editors_submit_only(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Task = apps.get_model("cms", "SecondEditorApprovalTask")
    workflow = Workflow.objects.filter(name="Article approval").first()
    if workflow is None:
        return
    pages = WorkflowPage.objects.filter(workflow=workflow).values_list("page_id", flat=True)
    GroupPagePermission.objects.filter(
        group__name="Editors", page_id__in=list(pages), permission__codename="publish_page"
    ).delete()
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    task_ids = WorkflowTask.objects.filter(workflow=workflow).values_list("task_id", flat=True)
    for task in Task.objects.filter(pk__in=list(task_ids)):
        task.groups.add(moderators)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_audience_segments_app"),
        ("members", "0007_moderators_group"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(editors_submit_only, migrations.RunPython.noop)]
