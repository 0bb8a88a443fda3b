from django.db import migrations


def create_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is not None:
        group.permissions.add(access_admin)


class Migration(migrations.Migration):
    dependencies = [("members", "0006_move_out_segments_notifications_follows")]

    operations = [migrations.RunPython(create_moderators, migrations.RunPython.noop)]
