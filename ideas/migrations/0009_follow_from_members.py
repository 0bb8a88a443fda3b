# Follow moves from `members` (issue: one house): following is part of an idea, and a merge
# moves followers in its own transaction. The table stays for now (state only); 0010 renames it.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models



class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_editors_segment_permissions"),
        ("ideas", "0008_default_pipeline"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Follow',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('idea', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='ideas.idea')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'members_follow',
                    'indexes': [models.Index(fields=['idea', 'member'], name='follow_idea')],
                    'constraints': [models.UniqueConstraint(fields=('member', 'idea'), name='one_follow_per_member')],
                    'verbose_name': 'follow',
                    'verbose_name_plural': 'follows',
                },
            ),
            ],
        ),
    ]
