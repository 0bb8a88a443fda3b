"""The Product team group triages ideas in the Wagtail admin and manages webhooks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Product team"
PERMISSIONS = [
    ("ideas", "idea", ["view", "change"]),
    ("ideas", "internalnote", ["add", "view"]),
    ("ideas", "stage", ["add", "change", "view"]),
    ("integrations", "webhookendpoint", ["add", "change", "delete", "view"]),
    ("integrations", "webhookdelivery", ["view"]),
]


def grant(apps, schema_editor):
    # Permission rows are normally created after the last migration (post_migrate); create
    # them now so a fresh database gets the grants too.
    for app_label in {app for app, _model, _actions in PERMISSIONS}:
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, model, actions in PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return
    for app_label, model, actions in PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0004_pipeline"),
        ("integrations", "0001_initial"),
        ("members", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
