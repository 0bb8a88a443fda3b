from django.db import migrations
from django.utils.translation import gettext_noop as _

DEFAULT_STAGES = [
    # slug, name, colour, closed, roadmap, needs note
    ("new", _("New"), "#5b6472", False, False, False),
    ("under-review", _("Under review"), "#7c3aed", False, False, False),
    ("planned", _("Planned"), "#0b5cad", False, True, False),
    ("in-progress", _("In progress"), "#c2410c", False, True, False),
    ("shipped", _("Shipped"), "#166534", True, True, False),
    ("declined", _("Declined"), "#b42318", True, False, True),
    ("merged", _("Merged"), "#4f5761", True, False, True),
]


def seed_stages(apps, schema_editor):
    Stage = apps.get_model("ideas", "Stage")
    for order, (slug, name, colour, closed, roadmap, note) in enumerate(DEFAULT_STAGES):
        Stage.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "colour": colour,
                "order": order * 10,
                "is_closed": closed,
                "on_roadmap": roadmap,
                "needs_note": note,
            },
        )


def trigram_search(apps, schema_editor):
    """Similar-idea suggestions use pg_trgm on PostgreSQL; other databases skip this."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS idea_title_trgm ON ideas_idea USING gin (title gin_trgm_ops)"
    )


def trigram_search_undo(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS idea_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0002_initial")]

    operations = [
        migrations.RunPython(seed_stages, migrations.RunPython.noop),
        migrations.RunPython(trigram_search, trigram_search_undo),
    ]
