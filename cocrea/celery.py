import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings.dev")

app = Celery("cocrea")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def sweep_outbox_at_start(sender=None, **kwargs):
    """A worker coming back (after a crash, a deploy, Redis returning) first picks up whatever
    the outbox holds, instead of waiting for the next beat."""
    from ideas.tasks import outbox_sweep

    outbox_sweep.delay()
