from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def publish_scheduled_pages():
    """Publish pages whose scheduled time has come and unpublish expired ones (Wagtail's
    `publish_scheduled` command), every minute from Celery beat."""
    call_command("publish_scheduled")
