"""Segments, notifications and follows left `members` for their own apps (issue: one house).
The models leave this app's state only: their rows stay where they are, and the new apps take
them over (segments 0001, notifications 0001, ideas 0009). The content types move with them, so
every permission granted on them (the Editors group's segment permissions, a user's own) and
every admin log entry still points at the right model."""

from django.db import migrations

MOVED = {
    "segment": "segments",
    "segmentmembership": "segments",
    "emaildelivery": "notifications",
    "notification": "notifications",
    "notificationpreference": "notifications",
    "follow": "ideas",
}


def move_content_types(apps, schema_editor, forwards=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model, app in MOVED.items():
        old_app, new_app = ("members", app) if forwards else (app, "members")
        old = ContentType.objects.filter(app_label=old_app, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=new_app, model=model).first()
        if new is None:
            old.app_label = new_app
            old.save(update_fields=["app_label"])
            continue
        # Both exist (a migrate that created the new one already): keep the new one and give it
        # what pointed at the old one.
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
            else:
                twin.group_set.add(*permission.group_set.all())
                twin.user_set.add(*permission.user_set.all())
                permission.delete()
        old.delete()


def backwards(apps, schema_editor):
    move_content_types(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_editors_segment_permissions"),
        ("segments", "0001_initial"),
        ("notifications", "0001_initial"),
        ("ideas", "0009_follow_from_members"),
        ("cms", "0006_audience_segments_app"),
        ("campaigns", "0004_audience_segments_app"),
        ("mailings", "0003_segments_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="EmailDelivery"),
                migrations.DeleteModel(name="NotificationPreference"),
                migrations.DeleteModel(name="Follow"),
                migrations.DeleteModel(name="SegmentMembership"),
                migrations.DeleteModel(name="Segment"),
            ],
        ),
        migrations.RunPython(move_content_types, backwards),
    ]
