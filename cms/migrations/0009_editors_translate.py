"""The Editors group translates pages ("Translate" in the page explorer, from
wagtail.contrib.simple_translation); see docs/translation.md."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
# (app label, the codename's model part, actions): codename "submit_translation".
PERMISSIONS = [("simple_translation", "translation", ["submit"])]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, actions in PERMISSIONS:
        yield from Permission.objects.filter(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for action in actions],
        )


def grant(apps, schema_editor):
    # Permission rows are normally created after the last migration (post_migrate).
    config = apps.get_app_config("simple_translation")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0008_content_locales"),
        ("members", "0002_groups"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
