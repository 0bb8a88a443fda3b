"""Settings of the Celery worker subprocess in delivery tests: the test settings, but tasks go
through the broker and e-mails are written to files the test can count."""

import os

from cocrea.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.support.mail.PausingFileBackend"
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
