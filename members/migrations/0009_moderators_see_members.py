from django.db import migrations


def grant_view_members(apps, schema_editor):
    """Moderators open the member directory to suspend a member (and lift it)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Moderators")
    # On a fresh database permissions are only created after migrating: make this one now.
    user_type, _ = ContentType.objects.get_or_create(app_label="members", model="user")
    view_user, _ = Permission.objects.get_or_create(
        content_type=user_type, codename="view_user", defaults={"name": "Can view member"}
    )
    group.permissions.add(view_user)


class Migration(migrations.Migration):
    dependencies = [("members", "0008_suspensions"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(grant_view_members, migrations.RunPython.noop)]
