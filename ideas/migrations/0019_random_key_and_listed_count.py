"""`sort=random` without a scan, list counts without counting (docs/architecture.md, "Idea
lists at scale"):

* `random_key`: drawn once per idea (every existing idea draws its own here), indexed per
  campaign and status like the other sorts;
* `CampaignIdeaCount`: how many ideas each campaign lists, per category and stage, kept by PostgreSQL
  triggers — statement-level (transition tables) for inserts and deletes, so bulk loads cost one
  upsert per statement; row-level for updates of the four columns that decide it, so a vote
  (which updates counters only) never fires it; a change of a stage's role recounts.

On SQLite the keys are drawn too and nothing else runs (lists count there)."""

import django.db.models.deletion
from django.db import migrations, models

import ideas.models.ideas

LISTED = """({row}.status = 'published' AND {row}.merged_into_id IS NULL AND NOT EXISTS (
    SELECT 1 FROM ideas_stage s WHERE s.id = {row}.stage_id AND s.role = 'merged'))"""

KEY = "{row}.campaign_id, coalesce({row}.category_id, 0), {row}.stage_id"
CONFLICT = "ON CONFLICT (campaign_id, category_id, stage_id) DO UPDATE SET listed = c.listed"
COLUMNS = "campaign_id, category_id, stage_id"

FORWARDS = [
    f"""
    CREATE OR REPLACE FUNCTION ideas_listed_recount() RETURNS void LANGUAGE sql AS $$
        DELETE FROM ideas_campaignideacount;
        INSERT INTO ideas_campaignideacount ({COLUMNS}, listed)
        SELECT {KEY.format(row="i")}, count(*) FROM ideas_idea i WHERE {LISTED.format(row="i")}
        GROUP BY 1, 2, 3;
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION ideas_listed_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO ideas_campaignideacount AS c ({COLUMNS}, listed)
        SELECT {KEY.format(row="n")}, count(*) FROM new_rows n WHERE {LISTED.format(row="n")}
        GROUP BY 1, 2, 3
        {CONFLICT} + EXCLUDED.listed;
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION ideas_listed_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE ideas_campaignideacount c SET listed = c.listed - d.n
        FROM (SELECT {KEY.format(row="o")}, count(*) AS n FROM old_rows o
              WHERE {LISTED.format(row="o")} GROUP BY 1, 2, 3) d (campaign_id, category_id, stage_id, n)
        WHERE (c.campaign_id, c.category_id, c.stage_id)
            = (d.campaign_id, d.category_id, d.stage_id);
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION ideas_listed_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        was boolean := {LISTED.format(row="OLD")};
        now_listed boolean := {LISTED.format(row="NEW")};
        moved boolean := ({KEY.format(row="OLD")}) IS DISTINCT FROM ({KEY.format(row="NEW")});
    BEGIN
        IF was AND (moved OR NOT now_listed) THEN
            UPDATE ideas_campaignideacount SET listed = listed - 1
            WHERE (campaign_id, category_id, stage_id) = ({KEY.format(row="OLD")});
        END IF;
        IF now_listed AND (moved OR NOT was) THEN
            INSERT INTO ideas_campaignideacount AS c ({COLUMNS}, listed)
            VALUES ({KEY.format(row="NEW")}, 1)
            {CONFLICT} + 1;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION ideas_listed_stage_role() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM ideas_listed_recount();
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER ideas_listed_inserted AFTER INSERT ON ideas_idea
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ideas_listed_inserted()
    """,
    """
    CREATE TRIGGER ideas_listed_deleted AFTER DELETE ON ideas_idea
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ideas_listed_deleted()
    """,
    """
    CREATE TRIGGER ideas_listed_updated
    AFTER UPDATE OF campaign_id, category_id, stage_id, status, merged_into_id ON ideas_idea
    FOR EACH ROW EXECUTE FUNCTION ideas_listed_updated()
    """,
    """
    CREATE TRIGGER ideas_listed_stage_role AFTER UPDATE OF role ON ideas_stage
    FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role)
    EXECUTE FUNCTION ideas_listed_stage_role()
    """,
    "SELECT ideas_listed_recount()",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS ideas_listed_stage_role ON ideas_stage",
    "DROP TRIGGER IF EXISTS ideas_listed_updated ON ideas_idea",
    "DROP TRIGGER IF EXISTS ideas_listed_deleted ON ideas_idea",
    "DROP TRIGGER IF EXISTS ideas_listed_inserted ON ideas_idea",
    "DROP FUNCTION IF EXISTS ideas_listed_stage_role()",
    "DROP FUNCTION IF EXISTS ideas_listed_updated()",
    "DROP FUNCTION IF EXISTS ideas_listed_deleted()",
    "DROP FUNCTION IF EXISTS ideas_listed_inserted()",
    "DROP FUNCTION IF EXISTS ideas_listed_recount()",
]


def draw_random_keys(apps, schema_editor):
    """AddField gave every existing idea the same key: each draws its own (one statement)."""
    modulus = ideas.models.ideas.RANDOM_KEY_MODULUS
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE ideas_idea SET random_key = floor(random() * {modulus})::integer"
        )
    else:
        schema_editor.execute(f"UPDATE ideas_idea SET random_key = abs(random()) % {modulus}")


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_category_translations"),
        ("ideas", "0018_idea_draft"),
    ]

    operations = [
        migrations.CreateModel(
            name="CampaignIdeaCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("category_id", models.IntegerField()),
                ("stage_id", models.IntegerField()),
                ("listed", models.IntegerField(default=0)),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="campaigns.campaignpage",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("campaign", "category_id", "stage_id"), name="idea_count_key"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="idea",
            name="random_key",
            field=models.IntegerField(default=ideas.models.ideas.new_random_key, editable=False),
        ),
        migrations.RunPython(draw_random_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(
                fields=["campaign", "status", "random_key", "id"], name="idea_random"
            ),
        ),
        migrations.RunPython(on_postgres(FORWARDS), on_postgres(BACKWARDS)),
    ]
