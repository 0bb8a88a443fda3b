"""Webhook deliveries go through the one outbox (core.outbox.Delivery): `delivered` becomes
`sent`, `delivered_at` becomes `sent_at`."""

from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("integrations", "WebhookDelivery").objects.filter(status="delivered").update(
        status="sent"
    )


def backwards(apps, schema_editor):
    apps.get_model("integrations", "WebhookDelivery").objects.filter(status="sent").update(
        status="delivered"
    )


class Migration(migrations.Migration):
    dependencies = [("integrations", "0001_initial")]

    operations = [
        migrations.RenameField("webhookdelivery", "delivered_at", "sent_at"),
        migrations.RunPython(forwards, backwards),
    ]
