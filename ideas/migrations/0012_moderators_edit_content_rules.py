from django.db import migrations

GROUPS = ("Moderators", "Product team")


def grant_content_rules(apps, schema_editor):
    """Moderators (and the product team, who moderate too) edit Settings › Content rules."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    rules_type, _ = ContentType.objects.get_or_create(app_label="ideas", model="contentrules")
    change, _ = Permission.objects.get_or_create(
        content_type=rules_type,
        codename="change_contentrules",
        defaults={"name": "Can change content rules"},
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(change)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0011_content_rules"),
        ("members", "0007_moderators_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_content_rules, migrations.RunPython.noop)]
