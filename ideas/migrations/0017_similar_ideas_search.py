"""Similar-idea search (ideas.search): pg_trgm and unaccent, an immutable unaccent wrapper, a
trigger-maintained `search_vector` of the title (English and Spanish stemming, accents folded)
with a GIN index, and a GIN trigram index on the folded title (instead of 0003's on the raw one).

PostgreSQL only: on SQLite the column is created (and stays empty) and nothing else runs."""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FORWARDS = [
    # unaccent() is STABLE (its dictionary could change); indexes need IMMUTABLE. The wrapper
    # names the dictionary, so it is safe to declare it immutable.
    """
    CREATE OR REPLACE FUNCTION cocrea_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
    """,
    """
    CREATE OR REPLACE FUNCTION ideas_idea_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        title text := cocrea_unaccent(coalesce(NEW.title, ''));
    BEGIN
        NEW.search_vector := to_tsvector('english', title) || to_tsvector('spanish', title);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER ideas_idea_search_vector
    BEFORE INSERT OR UPDATE OF title, search_vector ON ideas_idea
    FOR EACH ROW EXECUTE FUNCTION ideas_idea_search_vector()
    """,
    "UPDATE ideas_idea SET search_vector = NULL",  # the trigger fills it in
    "CREATE INDEX idea_search_vector ON ideas_idea USING gin (search_vector)",
    # Replaces migration 0003's trigram index on the raw title.
    "DROP INDEX IF EXISTS idea_title_trgm",
    "CREATE INDEX idea_title_folded_trgm ON ideas_idea"
    " USING gin (cocrea_unaccent(title) gin_trgm_ops)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS idea_title_folded_trgm",
    "CREATE INDEX IF NOT EXISTS idea_title_trgm ON ideas_idea USING gin (title gin_trgm_ops)",
    "DROP INDEX IF EXISTS idea_search_vector",
    "DROP TRIGGER IF EXISTS ideas_idea_search_vector ON ideas_idea",
    "DROP FUNCTION IF EXISTS ideas_idea_search_vector()",
    "DROP FUNCTION IF EXISTS cocrea_unaccent(text)",
]


class KeepTrigramExtension(TrigramExtension):
    """pg_trgm is older than this migration (0003's index needs it): kept when reversed."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("ideas", "0016_trending_votes_and_recency")]

    operations = [
        KeepTrigramExtension(),
        UnaccentExtension(),
        migrations.AddField(
            model_name="idea",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgres(FORWARDS), on_postgres(BACKWARDS)),
    ]
