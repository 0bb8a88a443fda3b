# Segments moved to their own app (state only, same tables).
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('mailings', '0002_editors_permissions'), ('segments', '0001_initial')]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name='emailcampaign', name='segments', field=models.ManyToManyField(blank=True, help_text="Empty: the article's audience, or every member with marketing consent when the article is for everyone.", related_name='email_campaigns', to='segments.segment', verbose_name='segments')),
            ],
        ),
    ]
