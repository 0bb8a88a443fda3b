"""Campaign e-mails go through the one outbox (core.outbox.Delivery): `queued` becomes
`pending`, `reason` becomes `error`."""

from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("mailings", "MarketingDelivery").objects.filter(status="queued").update(
        status="pending"
    )


def backwards(apps, schema_editor):
    apps.get_model("mailings", "MarketingDelivery").objects.filter(status="pending").update(
        status="queued"
    )


class Migration(migrations.Migration):
    dependencies = [("mailings", "0003_segments_app")]

    operations = [
        migrations.RenameField("marketingdelivery", "reason", "error"),
        migrations.RunPython(forwards, backwards),
    ]
