# The models move from `members` (issue: one house). Their tables stay for now (state only);
# notifications 0002 renames them.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models



class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("members", "0005_editors_segment_permissions"),
        ("ideas", "0006_admin_list_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='EmailDelivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.CharField(max_length=120, unique=True)),
                    ('status', models.CharField(choices=[('pending', 'Waiting'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Not sent')], default='pending', max_length=10)),
                    ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ('error', models.TextField(blank=True)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('sent_at', models.DateTimeField(blank=True, null=True)),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='email_deliveries', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'members_emaildelivery',
                    'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['created_at'], name='email_pending')],
                    'verbose_name': 'e-mail delivery',
                    'verbose_name_plural': 'e-mail deliveries',
                },
            ),
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('stage_changed', 'An idea I follow changes stage'), ('response', 'The product team responds to an idea I follow'), ('merged', 'An idea I follow is merged into another'), ('comment', 'Someone comments on an idea I follow'), ('reply', 'Someone replies to my comment')], max_length=20)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('email_done', models.BooleanField(default=False)),
                    ('email', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='items', to='notifications.emaildelivery')),
                    ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ideas.event')),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'members_notification',
                    'indexes': [models.Index(fields=['recipient', '-created_at'], name='notification_inbox'), models.Index(condition=models.Q(('email_done', False)), fields=['recipient', 'kind'], name='notification_digest')],
                    'constraints': [models.UniqueConstraint(fields=('recipient', 'event'), name='one_notification_per_event')],
                    'verbose_name': 'notification',
                    'verbose_name_plural': 'notifications',
                    'ordering': ['-created_at', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='NotificationPreference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('stage_changed', 'An idea I follow changes stage'), ('response', 'The product team responds to an idea I follow'), ('merged', 'An idea I follow is merged into another'), ('comment', 'Someone comments on an idea I follow'), ('reply', 'Someone replies to my comment')], max_length=20)),
                    ('frequency', models.CharField(choices=[('immediate', 'Right away'), ('daily', 'Daily digest'), ('weekly', 'Weekly digest'), ('none', 'No e-mail')], max_length=10)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='preferences', to=settings.AUTH_USER_MODEL)),
                ],
                options={'db_table': 'members_notificationpreference', 'constraints': [models.UniqueConstraint(fields=('member', 'kind'), name='one_preference_per_kind')]},
            ),
            ],
        ),
    ]
