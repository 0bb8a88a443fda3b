# Segments moved to their own app: the audience points there (state only, same tables).
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('cms', '0005_second_editor_approval'), ('segments', '0001_initial')]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name='standardpage', name='audience', field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='Only members of these segments see this page (and, for a campaign, its ideas). Empty: everyone.', related_name='+', to='segments.segment', verbose_name='audience')),
                migrations.AlterField(model_name='articlepage', name='audience', field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='Only members of these segments see this page (and, for a campaign, its ideas). Empty: everyone.', related_name='+', to='segments.segment', verbose_name='audience')),
            ],
        ),
    ]
