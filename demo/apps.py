from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content for `make run` and large data sets for measuring (`manage.py seed_demo`).
    It sits above every app and writes through their services."""

    name = "demo"
    verbose_name = _("Demo content")
