# The models move from `members` (issue: one house). Their tables stay for now (state only);
# segments 0002 renames them.
import django.db.models.deletion
import django.utils.timezone
import wagtail.fields
from django.conf import settings
from django.db import migrations, models



class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("members", "0005_editors_segment_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Segment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                    ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('match', models.CharField(choices=[('all', 'All conditions'), ('any', 'Any condition')], default='all', max_length=3, verbose_name='members must match')),
                    ('rules', wagtail.fields.StreamField([('attribute', 3), ('joined', 6), ('activity', 9), ('active_within', 11), ('group', 13)], blank=True, block_lookup={0: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('country', 'Country (ISO code, e.g. ES)'), ('language', 'Preferred language (e.g. es)'), ('tier', 'Customer tier'), ('company', 'Company'), ('interests', 'Interest (slug)'), ('external_id', 'External customer id')], 'label': 'Profile attribute'}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('equals', 'is'), ('in', 'is one of')], 'label': 'Operator'}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': 'For “is one of”, separate values with commas.', 'label': 'Value(s)'}), 3: ('wagtail.blocks.StructBlock', [[('attribute', 0), ('operator', 1), ('values', 2)]], {}), 4: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('before', 'before'), ('after', 'on or after')], 'label': 'Joined'}), 5: ('wagtail.blocks.DateBlock', (), {'label': 'Date'}), 6: ('wagtail.blocks.StructBlock', [[('when', 4), ('date', 5)]], {}), 7: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('ideas', 'Ideas submitted'), ('votes', 'Votes cast'), ('comments', 'Comments written')], 'label': 'Activity'}), 8: ('wagtail.blocks.IntegerBlock', (), {'default': 1, 'label': 'At least', 'min_value': 0}), 9: ('wagtail.blocks.StructBlock', [[('metric', 7), ('at_least', 8)]], {}), 10: ('wagtail.blocks.IntegerBlock', (), {'default': 30, 'label': 'Active within (days)', 'min_value': 1}), 11: ('wagtail.blocks.StructBlock', [[('days', 10)]], {}), 12: ('wagtail.blocks.CharBlock', (), {'help_text': 'A group name (e.g. “Product team”), or “staff” for every staff member.', 'label': 'Group'}), 13: ('wagtail.blocks.StructBlock', [[('group', 12)]], {})}, verbose_name='rules')),
                    ('member_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='members')),
                    ('refreshed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='refreshed')),
                    ('exclude', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='always exclude')),
                    ('include', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='always include')),
                ],
                options={
                    'db_table': 'members_segment',
                    'verbose_name': 'segment',
                    'verbose_name_plural': 'segments',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='SegmentMembership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('since', models.DateTimeField(default=django.utils.timezone.now)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='segment_memberships', to=settings.AUTH_USER_MODEL)),
                    ('segment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='segments.segment')),
                ],
                options={
                    'db_table': 'members_segmentmembership',
                    'indexes': [models.Index(fields=['member', 'segment'], name='membership_member')],
                    'constraints': [models.UniqueConstraint(fields=('segment', 'member'), name='one_membership')],
                },
            ),
            ],
        ),
    ]
